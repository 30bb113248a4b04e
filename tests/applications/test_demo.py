"""`gongkai demo` shows the applications' rules: cases built through the one door (issue 14)."""

import io

import pytest
from django.core.management import call_command

from gongkai.applications.letter_models import FeeNotice
from gongkai.applications.models import Application

pytestmark = pytest.mark.django_db


def test_demo_builds_the_application_cases_through_the_one_door(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", no_documents=True, stdout=out)
    assert "依申请公开演示案件：新增 5 件" in out.getvalue(), out.getvalue()
    partial = Application.objects.get(external_id="DEMO-YSQ-1")
    assert partial.outcome == "partial" and partial.events.last().fields["legal_reviewer"] == "演示法律顾问"
    assert partial.letters.get().attachments.count() == 1
    assert FeeNotice.objects.get(application__external_id="DEMO-YSQ-2").paid_on is not None
    assert "至征求意见答复期限" in Application.objects.get(external_id="DEMO-YSQ-3").due_explanation
    assert "第三十五条" in Application.objects.get(external_id="DEMO-YSQ-4").due_explanation
    assert Application.objects.filter(pause_reason="supplement", description__contains="未带身份证").count() == 1
    count = Application.objects.count()
    call_command("demo", no_documents=True, stdout=io.StringIO())  # idempotent
    assert Application.objects.count() == count
