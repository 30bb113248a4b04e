import datetime as dt

import pytest
from django.utils import timezone

from gongkai.documents import services
from gongkai.documents.models import Genre
from gongkai.documents.selectors import documents_with_late_interpretations, interpretation_is_late

from .factories import published_document

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def test_interpretation_later_than_three_working_days_is_flagged_counting_the_holiday(department, editor, reviewer):
    # Published Wednesday 2026-09-30; 10/1-10/7 is the National Day holiday, 10/10 (Saturday) is a working day.
    doc = published_document(organisation=department, by=editor, reviewer=reviewer, genre=Genre.NORMATIVE,
                             at=dt.datetime(2026, 9, 30, 10, tzinfo=TZ))
    interpretation = doc.interpretations.get()
    services.interpretation_publish(interpretation=interpretation, by=reviewer, at=dt.datetime(2026, 10, 12, 9, tzinfo=TZ))
    # Working days after 9/30: 10/8, 10/9, 10/10 (调休 Saturday), 10/12 → the fourth: late.
    assert interpretation_is_late(interpretation=interpretation, document=doc)
    assert [(d.pk, days) for d, _, days in documents_with_late_interpretations(today=dt.date(2026, 10, 20))] == [(doc.pk, 4)]


def test_interpretation_on_the_third_working_day_is_on_time(department, editor, reviewer):
    doc = published_document(organisation=department, by=editor, reviewer=reviewer, genre=Genre.NORMATIVE,
                             at=dt.datetime(2026, 9, 30, 10, tzinfo=TZ))
    interpretation = doc.interpretations.get()
    services.interpretation_publish(interpretation=interpretation, by=reviewer, at=dt.datetime(2026, 10, 10, 9, tzinfo=TZ))
    assert not interpretation_is_late(interpretation=interpretation, document=doc)
    assert documents_with_late_interpretations(today=dt.date(2026, 10, 20)) == []


def test_documents_outside_the_calendar_are_skipped_not_failed(department, editor, reviewer):
    published_document(organisation=department, by=editor, reviewer=reviewer, genre=Genre.NORMATIVE,
                       at=dt.datetime(1999, 3, 1, 10, tzinfo=TZ))
    assert documents_with_late_interpretations(today=dt.date(2026, 10, 20)) == []
