"""A double click that reaches two server processes at the same moment still files one application."""

import pytest

from gongkai.applications import intake
from gongkai.applications.models import Application, PublicAccess

from .conftest import APPLICANT
from .test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_submissions_with_one_idempotency_key_file_one_application(department):
    def submit():
        return intake.application_file_online(
            organisation=department, applicant_kind="natural_person", applicant=dict(APPLICANT),
            description="请公开 2025 年本局行政事业性收费项目清单", idempotency_key="same-form-key-0123456789",
            client_address="203.0.113.5")

    results = run_together(submit, submit, submit)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Application.objects.count() == 1 and PublicAccess.objects.count() == 1
    assert len({r.application.pk for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1
    # only the filing shows the tracking secret; a replay of the same form key never shows it again
    assert [bool(r.secret) for r in results if not r.replayed] == [True]
    assert all(r.secret == "" for r in results if r.replayed)


def test_a_burst_from_one_address_cannot_slip_past_the_limit(department, settings):
    settings.APPLICATION_INTAKE_LIMIT_PER_ADDRESS = "2/3600"
    ids = ["11010519491231002X", "110101199003074477", "44030519900101123X", "11010119900307803X", "110101199003072551"]

    def submit(n):
        return lambda: intake.application_file_online(
            organisation=department, applicant_kind="natural_person", applicant={**APPLICANT, "id_number": ids[n]},
            description="请公开 2025 年本局行政事业性收费项目清单", idempotency_key=f"burst-key-{n:02d}-0123456789",
            client_address="203.0.113.77")

    results = run_together(*(submit(n) for n in range(5)))
    limited = [r for r in results if isinstance(r, intake.RateLimited)]
    assert Application.objects.count() == 2 and len(limited) == 3, results
