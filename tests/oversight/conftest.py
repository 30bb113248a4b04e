"""Fixtures of the oversight tests: records of every module built through their own services, at dates
chosen for the working-day edges of the 2026 calendar (中秋 9-25…9-27 off, Sunday 9-20 worked,
国庆 10-1…10-7 off), and frozen "today" after the third quarter."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from gongkai.core.models import Role
from tests.conftest import make_user

TZ = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2026, 11, 23)


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        yield


@pytest.fixture
def handler(department):
    return make_user("handler", department, Role.HANDLER)


@pytest.fixture
def publisher(department):
    """An editor who may also publish in the department (the interpretation needs publishing rights)."""
    user = make_user("publisher", department, Role.OFFICE_ADMIN)
    return user


def local_date(value):
    return timezone.localtime(value).date()
