"""Fixtures for applications: handlers, and cases built through the services as staff would."""

import datetime as dt

import pytest
import time_machine

from gongkai.applications import services
from gongkai.core.models import Role
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 23)
APPLICANT = {
    "name": "张三丰",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "zhang@example.com",
    "address": "测试市人民路 1 号",
}


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


def new_case(organisation, by, *, received_on="2026-09-28", channel="in_person", **kwargs):
    application = services.application_create(
        organisation=organisation, by=by, applicant_kind=kwargs.pop("applicant_kind", "natural_person"),
        applicant=kwargs.pop("applicant", dict(APPLICANT)), channel=channel,
        description=kwargs.pop("description", "请公开 2025 年本局行政事业性收费项目清单"), **kwargs,
    )
    if received_on:
        application = services.application_record_event(
            application=application, by=by, type="received", occurred_on=received_on
        )
    return application


@pytest.fixture
def case(department, handler):
    return new_case(department, handler)


def legal_review_approved(case, by, outcome, *, reviewer=None):
    """An approved legal review for `outcome`, as the one door asks before a withholding determination."""
    from gongkai.applications import intake
    from gongkai.core.models import User

    if reviewer is None:
        root = case.organisation.parent or case.organisation
        reviewer = User.objects.filter(username="legal_adviser").first() or make_user(
            "legal_adviser", root, Role.LEGAL_REVIEWER)
    review = intake.legal_review_request(application=case, by=by, outcome=outcome, draft="拟答复意见")
    return intake.legal_review_decide(review=review, by=reviewer, approve=True)


def determine(case, by, occurred_on, **fields):
    """A determination through the door, with the legal review first where the outcome needs it."""
    from gongkai.applications.selectors import legal_review_required

    if legal_review_required(outcome=fields["outcome"]):
        legal_review_approved(case, by, fields["outcome"])
    return services.application_record_event(application=case, by=by, type="determination",
                                             occurred_on=occurred_on, fields=fields)
