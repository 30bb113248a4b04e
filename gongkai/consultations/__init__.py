"""Public consultation and major administrative decisions (征求意见 · 重大行政决策), issue 19."""
