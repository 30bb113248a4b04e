"""Fixtures of the consultation tests: a drafting department, its editor and a published consultation."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.consultations import services
from gongkai.consultations.models import Consultation

DRAFT = """第一条 为了规范城市养犬行为，制定本办法。
第二条 本市行政区域内的养犬活动适用本办法。
第三条 携犬出户时，应当为犬只束犬链，犬链长度不得超过1.5米。
"""
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def today() -> dt.date:
    return TODAY


def make_consultation(organisation, by, *, kind="normative", starts_on=TODAY, ends_on=None, publish=True, **extra):
    consultation = services.consultation_create(
        organisation=organisation, by=by, kind=kind, title=extra.pop("title", "测试市养犬管理办法（征求意见稿）"),
        draft_text=extra.pop("draft_text", DRAFT), explanation="为加强养犬管理，起草本办法。",
        channels=extra.pop("channels", ["online", "email", "letter"]), contact="yijian@example.gov.cn",
        starts_on=starts_on, ends_on=ends_on or starts_on + dt.timedelta(days=30), **extra,
    )
    if publish:
        services.consultation_publish(consultation=consultation, by=by, today=starts_on)
    return consultation


@pytest.fixture
def consultation(department, editor) -> Consultation:
    return make_consultation(department, editor)
