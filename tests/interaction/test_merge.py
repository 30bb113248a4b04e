"""Issue 21: “a message whose department was deleted or merged stays with the parent” — merging (机构撤并)
moves boxes, open messages (by a 转办, the clock running on), answered messages, 找错 reports, interviews and
surveys; works for an organisation with audit history (which PostgreSQL's append-only trigger keeps from
being deleted)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from gongkai.core.models import AuditEvent, Role
from gongkai.interaction import services
from gongkai.interaction.models import ErrorReport, Interview, Mailbox, Message
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def submit(box, n=0):
    return services.message_submit(mailbox=box, subject=f"留言{n}", text="请问办理时间？", client_address=f"10.5.5.{n}").message


def test_merge_moves_everything_and_keeps_the_clock(box, government, department, other_department, handler):
    dept_box = services.mailbox_create(organisation=department, kind="consultation", name="教育局咨询", slug="jy")
    forwarded = services.message_act(message=submit(box, 1), type="forwarded", by=handler, to=department)
    due = forwarded.due_on
    own = submit(dept_box, 2)
    dept_handler = make_user("d", department, Role.HANDLER)
    answered = services.message_act(message=submit(dept_box, 3), type="replied", by=dept_handler,
                                    text="工作日上午九点至下午五点。")
    report = services.error_report_submit(kind="outdated", page_url="/gongkai/TEST00002/", description="内容过时",
                                          page_owner=department, client_address="10.5.6.1")
    report = services.error_report_act(report=report, type="forwarded", by=handler, to=department)
    now = timezone.now()
    interview = services.interview_create(by=dept_handler, organisation=department, title="访谈", guests="局长",
                                          starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1, hours=1))
    assert AuditEvent.objects.filter(organisation=department).exists()  # history: not deletable on PostgreSQL

    with pytest.raises(PermissionDenied):
        services.organisation_merge(organisation=department, into=other_department, by=handler)
    with pytest.raises(ValidationError):
        services.organisation_merge(organisation=government)  # no parent: must name who takes over
    result = services.organisation_merge(organisation=department, into=other_department)
    assert (result.mailboxes, result.open_messages, result.closed_messages, result.error_reports,
            result.interviews) == (1, 2, 1, 1, 1)
    assert Mailbox.objects.get(pk=dept_box.pk).organisation == other_department
    for m in (forwarded, own, answered):
        assert Message.objects.get(pk=m.pk).organisation == other_department
    moved = Message.objects.get(pk=forwarded.pk)
    assert moved.due_on == due  # 转办 does not stop the clock
    assert [e.type for e in moved.events.all()][-1] == "forwarded"
    assert "机构撤并" in moved.events.last().fields["reason"]
    assert ErrorReport.objects.get(pk=report.pk).organisation == other_department
    assert ErrorReport.objects.get(pk=report.pk).page_owner == other_department
    assert Interview.objects.get(pk=interview.pk).organisation == other_department
    assert AuditEvent.objects.filter(action="interaction.organisation_merge").count() == 1
    assert not Message.objects.filter(organisation=department).exists()


def test_merge_command_defaults_to_the_parent(box, government, department, handler):
    m = services.message_act(message=submit(box, 4), type="forwarded", by=handler, to=department)
    call_command("interaction", "merge", "--org", department.code)
    assert Message.objects.get(pk=m.pk).organisation == government
