"""Shared fixtures: an organisation tree and staff with each role."""

from pathlib import Path

import pytest
from django.conf import settings

from gongkai.core.models import Organisation, Role, User
from gongkai.core.services import membership_grant, organisation_create

SHARED_DATA = Path(settings.SHARED_DIR) / "data"


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.IS_POSTGRES
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run"))


def shared_data(name: str) -> Path:
    """A file of ../shared/data, or skip the test with a clear message when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the real data sets live in ../shared/data beside the repository)")
    return path


@pytest.fixture
def government(db) -> Organisation:
    return organisation_create(name="测试市人民政府", code="TEST00001", kind=Organisation.Kind.GOVERNMENT,
                               disclosure_office_name="测试市政务公开办")


@pytest.fixture
def department(government) -> Organisation:
    return organisation_create(name="测试市教育局", code="TEST00002", parent=government)


@pytest.fixture
def other_department(government) -> Organisation:
    return organisation_create(name="测试市财政局", code="TEST00003", parent=government)


def make_user(username: str, organisation: Organisation | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password="Test-pass-123", display_name=username)
    if organisation is not None and role is not None:
        membership_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def editor(department) -> User:
    return make_user("editor", department, Role.EDITOR)


@pytest.fixture
def reviewer(department) -> User:
    return make_user("reviewer", department, Role.REVIEWER)


@pytest.fixture
def other_editor(other_department) -> User:
    return make_user("other_editor", other_department, Role.EDITOR)


@pytest.fixture
def office_admin(government) -> User:
    return make_user("office_admin", government, Role.OFFICE_ADMIN)


@pytest.fixture
def platform_admin(government) -> User:
    return make_user("platform_admin", government, Role.PLATFORM_ADMIN)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed, so on-commit work (the search-index update) happens."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
