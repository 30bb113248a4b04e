"""Two staff acting on one case at the same moment: the row lock serialises them, nothing is lost."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gongkai.applications import services
from gongkai.applications.models import Application

from .conftest import new_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*actions):
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def worker(i, action):
        try:
            barrier.wait()
            results[i] = action()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_simultaneous_extensions_grant_exactly_one(department, handler, second_handler, office_admin):
    case = new_case(department, handler)

    def extend(user, days):
        return lambda: services.application_record_event(
            application=Application.objects.get(pk=case.pk), by=user, type="extension", occurred_on="2026-10-20",
            fields={"days": days, "approver_id": office_admin.pk, "notice_sent_on": "2026-10-20"})

    results = run_together(extend(handler, 10), extend(second_handler, 20))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "只能延期一次" in errors[0].messages[0]
    case.refresh_from_db()
    assert list(case.events.values_list("type", "seq")) == [("received", 1), ("extension", 2)]
    assert case.version == 2


def test_two_different_simultaneous_events_are_both_kept(department, handler, second_handler):
    case = new_case(department, handler)
    results = run_together(
        lambda: services.application_record_event(application=case, by=handler, type="assigned",
                                                  fields={"assignee": second_handler.pk}, occurred_on="2026-10-09"),
        lambda: services.application_record_event(application=case, by=second_handler, type="consultation_started",
                                                  occurred_on="2026-10-09",
                                                  fields={"kind": "agency", "party": "市财政局"}),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    case.refresh_from_db()
    assert sorted(case.events.values_list("type", flat=True)) == ["assigned", "consultation_started", "received"]
    assert sorted(case.events.values_list("seq", flat=True)) == [1, 2, 3]
    assert case.version == 3 and case.assignee == second_handler and case.status == "paused"
