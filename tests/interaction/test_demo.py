"""The demo's 政民互动 part: boxes, messages in every state, 找错 reports; idempotent."""

import pytest
from django.core.management import call_command

from gongkai.interaction import selectors
from gongkai.interaction.demo import BOXES
from gongkai.interaction.models import ErrorReport, Interview, Mailbox, Message, Survey

pytestmark = pytest.mark.django_db


def test_demo_interaction():
    call_command("demo", "--no-documents")
    call_command("demo", "--no-documents")  # idempotent
    ours = Mailbox.objects.filter(slug__in=[b[3] for b in BOXES])  # the oversight demo adds boxes of its own
    assert ours.count() == 4
    mine = Message.objects.filter(mailbox__in=ours)
    assert mine.count() == 10
    assert set(mine.values_list("status", flat=True)) == {"submitted", "accepted", "invalid", "replied", "published"}
    assert selectors.published_replies(mailbox=None).filter(mailbox__in=ours).count() == 4
    assert [o.message.subject for o in selectors.unanswered_over_limit() if o.message.mailbox in ours] == [
        "老旧小区加装电梯补贴何时发放"]
    assert mine.filter(status="accepted", due_on__lt=selectors.timezone.localdate()).exists()
    assert mine.filter(organisation__code="DEMO00002").exists()  # forwarded
    assert set(ErrorReport.objects.values_list("status", flat=True)) == {"received", "closed"}
    statuses = {selectors.interview_status(interview=i) for i in Interview.objects.all()}
    assert statuses == {"archived", "announced"}
    assert {selectors.survey_status(survey=s) for s in Survey.objects.all()} == {"open", "closed"}
    closed = Survey.objects.get(title="示例市课后服务满意度调查")
    assert selectors.survey_results(survey=closed)["sheets"] == 5
