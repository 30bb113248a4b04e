import pytest

from gongkai.core.models import Role
from gongkai.interaction.services import mailbox_create
from tests.conftest import make_user


@pytest.fixture
def box(government):
    return mailbox_create(organisation=government, kind="consultation", name="咨询", slug="test-zixun")


@pytest.fixture
def handler(government):
    return make_user("handler", government, Role.HANDLER)


@pytest.fixture
def reviewer(government):
    return make_user("reviewer", government, Role.REVIEWER)
