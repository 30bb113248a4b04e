"""The quality score of a dataset (in the spirit of uData's): what a reuser needs, each criterion worth
points, shown to the publisher (with what to fix) and to the public, summed per organisation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import conf

CRITERIA = [
    ("description", "描述充分（不少于 50 字）", 15),
    ("licence", "注明许可协议", 10),
    ("frequency", "注明更新频率", 10),
    ("up_to_date", "按更新频率及时更新", 15),
    ("open_formats", "提供开放格式（CSV/JSON 等）", 15),
    ("links_ok", "外部链接可访问", 10),
    ("schema", "字段均有说明", 15),
    ("valid", "数据无校验错误", 10),
]


def update_overdue(dataset, today: dt.date | None = None) -> bool:
    days = conf.FREQUENCY_DAYS.get(dataset.frequency)
    if not days or dataset.data_updated_on is None:
        return False
    today = today or timezone.localdate()
    return (today - dataset.data_updated_on).days > days


def dataset_quality(dataset) -> dict:
    """{"score": 0-100, "checks": [{"key", "label", "points", "ok"}]} for one dataset."""
    resources = list(dataset.resources.all())
    files = [r.current for r in resources if not r.url]
    checks = {
        "description": len((dataset.notes or "").strip()) >= 50,
        "licence": bool(dataset.licence_id),
        "frequency": dataset.frequency not in ("UNKNOWN", ""),
        "up_to_date": dataset.frequency not in ("UNKNOWN", "") and not update_overdue(dataset),
        "open_formats": any(r.format.upper() in conf.OPEN_FORMATS for r in resources),
        "links_ok": all(r.link_status is None or 200 <= r.link_status < 400 for r in resources if r.url),
        "schema": bool(resources) and all(f.get("description") or f.get("title") for r in resources for f in r.schema)
        and any(r.schema for r in resources),
        "valid": all(f is not None and not f.validation for f in files) if files else False,
    }
    items = [{"key": key, "label": label, "points": points, "ok": bool(checks[key])} for key, label, points in CRITERIA]
    return {"score": sum(i["points"] for i in items if i["ok"]), "checks": items}
