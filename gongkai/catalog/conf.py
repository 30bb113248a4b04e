"""Catalogue defaults, each with its source."""

from pathlib import Path

# 条例 第十二条: the four elements of every entry of the 政府信息公开目录.
CATALOGUE_ELEMENTS = ("索引", "名称", "内容概述", "生成日期")

# 条例 第十二条: what the 政府信息公开指南 must contain.
GUIDE_ELEMENTS = (
    "分类", "编排体系", "获取方式", "工作机构名称", "办公地址", "办公时间", "联系电话", "传真号码", "互联网联系方式",
)

# 条例 第二十六条: proactive information within 20 working days of being formed or changed; also the
# usual time limit of the 基层政务公开标准目录 (RULES §7). Each adopted item may vary it.
DEFAULT_TIME_LIMIT_WORKING_DAYS = 20

STANDARD_CATALOGUE_FILE = Path(__file__).with_name("data") / "standard_catalogue.yaml"

# Rows handed to the XLSX writer per database round trip (bounded memory, bench/catalog_build.py).
EXPORT_CHUNK = 2000
