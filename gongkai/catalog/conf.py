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

# --- 重点领域专栏 -----------------------------------------------------------------------------------------------

# 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号, RULES §5): 动态、要闻 columns not updated in 2 weeks and
# 通知公告、政策文件 columns not updated in 6 months count as 栏目不更新; an empty column counts too. (days)
FRESHNESS_DAYS = {"news": 14, "notice": 183}
STALE_COLUMNS_FAIL = 5   # ≥5 stale columns fail the check (RULES §5)
EMPTY_COLUMNS_FAIL = 5   # ≥5 empty columns fail the check (RULES §5)

# The 重点领域 of the seeds (000 一; 001 (三); 002 3) and of 条例 第二十条 (七)(十)(十一)(十三): the default columns
# an organisation starts from (`services.key_area_columns_seed`), each editable by staff. Topic codes are the
# gov.cn 主题分类 of `documents.taxonomy` ("04.01" = 财政、金融、审计\财政).
KEY_AREA_COLUMNS = [
    {"slug": "yujuesuan", "name": "财政预决算", "topic_codes": ["04.01"], "keywords": ["预算", "决算", "三公"],
     "standard_domains": ["财政预决算"], "freshness": "none",
     "description": "政府预决算和部门预决算、“三公”经费（条例第二十条第（七）项；预算法第十四条：批准后二十日内公开）",
     # 预算法 第十四条: every 部门 (budget unit) publishes its budget and its final account each year.
     "required": [{"name": "部门预算", "keywords": ["预算"], "per_unit": True},
                  {"name": "部门决算", "keywords": ["决算"], "per_unit": True}]},
    {"slug": "zhongda-xiangmu", "name": "重大建设项目", "topic_codes": ["03.06"], "keywords": ["建设项目", "项目批复", "竣工"],
     "standard_domains": ["重大建设项目"], "freshness": "notice",
     "description": "批准服务、批准结果、招标投标、征收土地、重大设计变更、施工管理、质量安全监督、竣工验收（国办发〔2017〕94号）",
     "stages": [{"name": "批准", "keywords": ["批复", "核准", "备案", "审批"]},
                {"name": "实施", "keywords": ["招标", "施工", "开工", "中标"]},
                {"name": "竣工", "keywords": ["竣工", "验收"]}]},
    {"slug": "gonggong-ziyuan", "name": "公共资源配置", "keywords": ["公共资源", "招标", "采购", "出让", "交易"],
     "standard_domains": ["公共资源交易"], "freshness": "notice",
     "description": "公共资源交易、政府采购、国有土地使用权和矿业权出让（国办发〔2017〕97号）"},
    {"slug": "gongyi", "name": "社会公益事业", "topic_codes": ["13.01", "12.01"], "keywords": ["公益", "医疗卫生", "公共文化"],
     "standard_domains": ["医疗卫生", "公共文化服务"], "freshness": "notice",
     "description": "教育、医疗卫生、公共文化、环境保护等社会公益事业（国办发〔2018〕10号）"},
    {"slug": "guihua", "name": "规划", "topic_codes": ["10.01"], "keywords": ["规划"], "standard_domains": ["城乡规划"],
     "freshness": "notice", "description": "国民经济和社会发展规划、专项规划、国土空间规划（条例第二十条第（三）项）"},
    {"slug": "shichang-jianguan", "name": "市场监管", "topic_codes": ["09.01", "09.02", "09.04"],
     "keywords": ["市场监管", "抽检", "双随机"], "standard_domains": ["食品药品监管"], "freshness": "notice",
     "description": "双随机抽查、行政处罚、食品药品抽检（条例第二十条第（六）（十三）项）"},
    {"slug": "huimin-huinong", "name": "惠民惠农资金", "keywords": ["补贴", "惠民", "惠农"], "standard_domains": ["涉农补贴"],
     "freshness": "notice", "description": "惠民惠农财政补贴资金的政策、标准、发放（“一卡通”）"},
    {"slug": "jiuye", "name": "就业", "topic_codes": ["15.01"], "keywords": ["就业", "招聘", "创业"],
     "standard_domains": ["就业"], "freshness": "notice", "description": "就业政策、招聘信息、就业补贴"},
    {"slug": "jiaoyu", "name": "教育", "topic_codes": ["11.02"], "keywords": ["教育", "招生", "入学"],
     "standard_domains": ["义务教育"], "freshness": "notice", "description": "招生入学、学生资助、教育收费"},
    {"slug": "jiuzhu", "name": "救助标准", "topic_codes": ["17.03"], "keywords": ["救助", "低保", "特困"],
     "standard_domains": ["社会救助"], "freshness": "notice", "description": "最低生活保障、特困人员供养、临时救助的标准"},
    {"slug": "baozhangfang", "name": "保障性住房", "keywords": ["保障性住房", "公租房", "保障房", "租赁住房"],
     "standard_domains": ["保障性住房"], "freshness": "notice", "description": "保障房分配、租赁补贴、退出"},
    {"slug": "tudi-zhengshou", "name": "土地征收", "keywords": ["征收", "征地", "补偿"],
     "standard_domains": ["征地补偿", "国有土地上房屋征收与补偿"], "freshness": "notice",
     "description": "征地启动公告、补偿安置方案、房屋征收决定（土地管理法第四十七条）"},
]

# --- 办事指南 ---------------------------------------------------------------------------------------------------

# The elements of a 办事指南 (issue 23; seeds 000 一(三), 001 (一), 003 一(四), 004 五). Those marked `True` are the
# key elements whose absence fails 《政府网站与政务新媒体检查指标》 (RULES §5: 事项名称、设定依据、申请条件、办理材料、
# 办理地点、办理时间、联系电话、办理流程); the others are required by the seeds. A guide missing any cannot be published.
SERVICE_ELEMENTS = [
    ("name", "事项名称", True), ("basis", "设定依据", True), ("conditions", "申请条件", True),
    ("materials", "办理材料", True), ("location", "办理地点", True), ("hours", "办理时间", True),
    ("phone", "联系电话", True), ("process", "办理流程", True), ("limit", "法定/承诺办结时限", False),
    ("fee", "收费标准及依据", False), ("consult", "咨询方式", False), ("complaint", "投诉方式", False),
]

# --- 政府公报 ---------------------------------------------------------------------------------------------------

# The usual sections of a local 政府公报, in their printed order (an article's section is free text; these
# order the contents and are offered in the workspace).
GAZETTE_SECTIONS = ["政府令", "政府文件", "政府办公室文件", "部门文件", "政策解读", "人事任免", "其他"]
GAZETTE_TITLE = "{name}公报"
