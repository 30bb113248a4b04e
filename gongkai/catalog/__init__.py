"""目录 · 指南: the disclosure catalogue, the disclosure guide and the 基层政务公开标准目录, generated from the platform's own data."""
