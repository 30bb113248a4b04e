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
    assert Interview.objects.get(title="稳就业政策解读").photos.get().alt.startswith("示例市")
    statuses = {selectors.interview_status(interview=i) for i in Interview.objects.all()}
    assert statuses == {"archived", "announced"}
    assert {selectors.survey_status(survey=s) for s in Survey.objects.all()} == {"open", "closed"}
    closed = Survey.objects.get(title="示例市课后服务满意度调查")
    assert selectors.survey_results(survey=closed)["sheets"] == 5


def test_demo_loads_into_a_site_that_already_has_another_root_government():
    """Issue 21: the demo failed with “只能转办给本网站主办单位” when the database held another root government
    (its 找错 reports went to that government, then were forwarded inside the demo's tree)."""
    from gongkai.core.models import Organisation
    from gongkai.core.services import organisation_create

    other = organisation_create(name="已有市人民政府", code="AAAA00001", kind=Organisation.Kind.GOVERNMENT)
    call_command("demo", "--no-documents")
    demo_root = Organisation.objects.get(code="DEMO00001")
    reports = ErrorReport.objects.all()
    assert reports.count() == 2
    assert {r.operator for r in reports} == {demo_root}  # each report goes to the site its page belongs to
    assert ErrorReport.objects.filter(status="closed", organisation=demo_root).exists()
    assert not ErrorReport.objects.filter(operator=other).exists()
