"""One identity rule for applicants: the ID check of the content checks, the fee rules' identity, the rate limit."""

import pytest

from gongkai.applications import intake, services
from gongkai.applications.fees import applicant_identity
from gongkai.applications.models import Application

from .conftest import APPLICANT

pytestmark = pytest.mark.django_db

# 宿城区 (321302) exists since 1996; its residents born earlier carry it (the code of first registration).
OLDER_THAN_ITS_COUNTY = "321302198503174311"


def test_applicant_born_before_the_county_code_existed_can_apply():
    clean = services.applicant_clean(kind="natural_person", data={**APPLICANT, "id_number": OLDER_THAN_ITS_COUNTY})
    assert clean["id_number"] == OLDER_THAN_ITS_COUNTY


def test_full_width_id_number_is_the_same_applicant_for_fees_and_rate_limits():
    half = applicant_identity(kind="natural_person", data=APPLICANT)
    full = applicant_identity(kind="natural_person", data={**APPLICANT, "id_number": "１１０１０５１９４９１２３１００２Ｘ"})
    assert half == full == ("resident_id", "11010519491231002X")


def test_full_width_id_number_does_not_slip_past_the_per_applicant_rate_limit(department, settings):
    settings.APPLICATION_INTAKE_LIMIT_PER_APPLICANT = "1/86400"
    intake.application_file_online(organisation=department, applicant_kind="natural_person", applicant=dict(APPLICANT),
                                   description="请公开本局 2025 年收费项目清单", idempotency_key="a" * 20,
                                   client_address="203.0.113.1")
    with pytest.raises(intake.RateLimited):
        intake.application_file_online(
            organisation=department, applicant_kind="natural_person",
            applicant={**APPLICANT, "id_number": "１１０１０５１９４９１２３１００２Ｘ"},
            description="请公开本局 2025 年收费项目清单", idempotency_key="b" * 20, client_address="203.0.113.2")
    assert Application.objects.count() == 1
