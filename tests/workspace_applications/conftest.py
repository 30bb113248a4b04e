"""Fixtures for the staff application pages: a frozen day, handlers, a legal adviser, cases."""

import datetime as dt

import pytest
import time_machine

from gongkai.core.models import Role
from tests.applications.conftest import APPLICANT, new_case  # noqa: F401  (re-exported for the tests)
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


@pytest.fixture
def handler(department):
    return make_user("handler", department, Role.HANDLER)


@pytest.fixture
def second_handler(department):
    return make_user("handler2", department, Role.HANDLER)


@pytest.fixture
def other_handler(other_department):
    return make_user("other_handler", other_department, Role.HANDLER)


@pytest.fixture
def legal(government):
    return make_user("legal", government, Role.LEGAL_REVIEWER)


@pytest.fixture
def case(department, handler):
    return new_case(department, handler)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
