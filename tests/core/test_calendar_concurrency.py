"""Two administrators importing the same year at the same moment (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection

from gongkai.core.calendar_format import arrangement_parse
from gongkai.core.calendar_services import calendar_year_import
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear
from gongkai.core.workdays import calendar_version

BASE = {
    "year": 2027,
    "source": "国办发明电〔2026〕测试号",
    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_imports_of_one_year_serialise_and_leave_one_consistent_year():
    variants = [
        {**BASE, "workdays": []},
        {**BASE, "workdays": [{"date": "2027-01-09", "name": "元旦"}]},
    ]
    barrier = threading.Barrier(2)
    errors = []

    def worker(data):
        try:
            barrier.wait()
            calendar_year_import(arrangement=arrangement_parse(data))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(v,)) for v in variants]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    year = CalendarYear.objects.get(year=2027)
    assert year.revision == 2
    assert AuditEvent.objects.filter(action="calendar.import").count() == 2
    workdays = set(CalendarDay.objects.filter(kind="workday").values_list("date", flat=True))
    assert len(workdays) in (0, 1)
    assert CalendarDay.objects.filter(kind="holiday").count() == 3
    assert calendar_version().endswith("+db:2027r2")
