"""Open-data defaults, each with its source. Platforms vary them in settings (`OPENDATA_*`)."""

from __future__ import annotations

from django.conf import settings

# The licence of 无条件开放 data: a CC-BY-like 政府数据开放 licence (attribution, free reuse), the
# short list CKAN's license_list returns. The default text is configurable per platform
# (settings.OPENDATA_LICENCE_TEXT), as the 公共数据开放 rules of the provinces each word it slightly apart.
DEFAULT_LICENCE_ID = "gov-open-by"
DEFAULT_LICENCE_TEXT = (
    "本数据集由政府部门依法开放，使用者可以免费获取、复制、传播、加工和利用，包括商业性利用，"
    "但应注明数据来源（数据提供单位与本平台名称），不得歪曲数据，不得以数据侵害国家利益、公共利益和他人合法权益。"
)
LICENCES = [
    {"id": DEFAULT_LICENCE_ID, "title": "政府数据开放许可（署名）", "url": "", "od_conformance": "approved"},
    {"id": "cc-by-4.0", "title": "Creative Commons Attribution 4.0", "url": "https://creativecommons.org/licenses/by/4.0/",
     "od_conformance": "approved"},
    {"id": "cc-zero", "title": "Creative Commons CCZero", "url": "https://creativecommons.org/publicdomain/zero/1.0/",
     "od_conformance": "approved"},
    {"id": "odc-odbl", "title": "Open Data Commons Open Database License (ODbL)",
     "url": "https://opendatacommons.org/licenses/odbl/1-0/", "od_conformance": "approved"},
    {"id": "other-closed", "title": "有条件开放（按申请协议使用）", "url": "", "od_conformance": "not reviewed"},
]

# The open-data domains (数据领域) of the provincial 公共数据开放 catalogues; CKAN calls them groups.
# Seeded into DataDomain (stored data, editable) by the migration.
DEFAULT_DOMAINS = [
    ("economy", "经济建设"), ("finance", "财税金融"), ("education", "教育科技"), ("health", "医疗卫生"),
    ("social", "社保就业"), ("environment", "资源环境"), ("transport", "交通出行"), ("culture", "文化休闲"),
    ("public-safety", "公共安全"), ("government", "机构团体"), ("urban", "城建住房"), ("agriculture", "农业农村"),
]

# DCAT frequency vocabulary (EU Publications Office authority table), with the days after which an
# update is overdue (the quality score flags it).
FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCY_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "QUARTERLY": 92, "BIANNUAL": 183, "ANNUAL": 366,
                  "IRREG": None, "NEVER": None, "UNKNOWN": None}

# Formats that need no proprietary software (the quality score's "open formats", 五星开放数据 3★+).
OPEN_FORMATS = {"CSV", "JSON", "GEOJSON", "XML", "RDF", "TTL", "JSONLD", "TXT", "ODS"}
TABULAR_FORMATS = {"CSV", "XLSX", "TSV"}

# Uploads larger than this are refused before anything is stored (bytes).
MAX_UPLOAD_BYTES = int(getattr(settings, "OPENDATA_MAX_UPLOAD_MB", 500)) * 1024 * 1024
# CKAN's package_search caps rows at 1000.
SEARCH_MAX_ROWS = 1000
DATASTORE_MAX_LIMIT = 32000
# Conditional access: how long an approved download link stays valid (days).
ACCESS_LINK_DAYS = 30


def licence_text() -> str:
    return getattr(settings, "OPENDATA_LICENCE_TEXT", DEFAULT_LICENCE_TEXT)


def licence(licence_id: str) -> dict | None:
    return next((lic for lic in LICENCES if lic["id"] == licence_id), None)
