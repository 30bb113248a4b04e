"""Fixtures for the staff application pages: a frozen day, handlers, a legal adviser, cases."""


import pytest

from gongkai.core.models import Role

# The frozen day, the handlers and the case builder are the applications fixtures themselves.
from tests.applications.conftest import (  # noqa: F401
    APPLICANT,
    case,
    frozen_today,
    handler,
    new_case,
    other_handler,
    second_handler,
)
from tests.conftest import make_user


@pytest.fixture
def legal(government):
    return make_user("legal", government, Role.LEGAL_REVIEWER)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
