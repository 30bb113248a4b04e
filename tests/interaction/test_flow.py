"""The message flow through the one door: deadlines on the 调休 calendar, steps, gates, masking, limits."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core import workdays
from gongkai.core.models import AuditEvent, Organisation
from gongkai.core.services import organisation_create
from gongkai.interaction import selectors
from gongkai.interaction.models import Message
from gongkai.interaction.services import (
    RateLimited,
    mailbox_create,
    mask_personal_data,
    message_act,
    message_by_secret,
    message_submit,
    messages_import,
)


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def submit(box, when=None, **kw):
    kw.setdefault("subject", "学校招生咨询")
    kw.setdefault("text", "请问今年小学招生的报名时间？")
    return message_submit(mailbox=box, contact={"name": "张三", "phone": "13812345678"}, consent_publish=True,
                          client_address=kw.pop("ip", "10.0.0.1"), now=when, **kw)


def test_box_reply_standard_defaults_by_kind(government):
    assert mailbox_create(organisation=government, kind="consultation", name="a", slug="a").reply_days == 5
    assert mailbox_create(organisation=government, kind="mailbox", name="b", slug="b").reply_days == 15
    assert mailbox_create(organisation=government, kind="complaint", name="c", slug="c", reply_days=10).reply_days == 10


def test_due_date_counts_working_days_across_national_day_and_working_saturday(box):
    # 2026: 10月1日至7日放假, 10月10日（周六）上班 — 5 working days after 9-30 are 10-8, 9, 10, 12, 13.
    assert workdays.is_working_day(dt.date(2026, 10, 10)) and not workdays.is_working_day(dt.date(2026, 10, 7))
    m = submit(box, at(2026, 9, 30)).message
    assert m.due_on == dt.date(2026, 10, 13)
    assert m.status == "submitted"


def test_contact_data_is_encrypted_at_rest_and_code_is_unguessable(box):
    s = submit(box)
    from django.db import connection
    with connection.cursor() as c:
        c.execute("select contact from interaction_message where id = %s", [s.message.pk])
        raw = c.fetchone()[0]
    assert "13812345678" not in raw and raw.startswith("enc1:")
    assert Message.objects.get(pk=s.message.pk).contact["phone"] == "13812345678"
    assert len(s.message.tracking_code) == 14 and s.secret not in s.message.secret_hash
    assert message_by_secret(tracking_code=s.message.tracking_code, secret=s.secret, client_address="x") == s.message
    assert message_by_secret(tracking_code=s.message.tracking_code, secret="WRONG", client_address="x") is None


def test_full_flow_accept_forward_hand_back_reply_publish_rate_reopen_once(box, government, department, handler,
                                                                            reviewer):
    m = submit(box, at(2026, 9, 30)).message
    m = message_act(message=m, type="accepted", by=handler)
    m = message_act(message=m, type="forwarded", by=handler, to=department)
    assert m.organisation == department and m.due_on == dt.date(2026, 10, 13)  # the clock keeps running
    m = message_act(message=m, type="handed_back", by=handler, reason="不属于本局职责")
    assert m.organisation == government
    with pytest.raises(ValidationError):
        message_act(message=m, type="replied", by=handler, text="")
    m = message_act(message=m, type="replied", by=handler, text="报名时间为每年6月，请关注教育局通知。")
    assert m.status == "replied" and m.replied_at
    with pytest.raises(PermissionDenied):
        message_act(message=m, type="published", by=handler)  # a handler may not publish: a reviewer does
    with pytest.raises(PermissionDenied):
        message_act(message=m, type="published", by=None)
    m = message_act(message=m, type="published", by=reviewer)
    assert m.status == "published"
    with pytest.raises(ValidationError):
        message_act(message=m, type="reopened", by=None)  # not rated poorly
    m = message_act(message=m, type="rated", by=None, rating=1)
    m = message_act(message=m, type="reopened", by=None)
    assert m.status == "accepted" and m.reopened
    assert m.due_on == workdays.add_working_days(timezone.localdate(), 5)
    m = message_act(message=m, type="replied", by=handler, text="补充答复：具体见通知。")
    m = message_act(message=m, type="rated", by=None, rating=1)
    with pytest.raises(ValidationError):
        message_act(message=m, type="reopened", by=None)  # only once
    actions = set(AuditEvent.objects.filter(object_id=str(m.pk), action__startswith="interaction.")
                  .values_list("action", flat=True))
    assert {"interaction.submitted", "interaction.accepted", "interaction.forwarded", "interaction.handed_back",
            "interaction.replied", "interaction.published", "interaction.rated", "interaction.reopened"} <= actions
    late = [s for s in selectors.statistics(since=dt.date(2026, 9, 1), until=timezone.localdate(),
                                            today=timezone.localdate())]
    assert late[0].replied == 1 and late[0].late == 1  # replied after its due date: counted as late


def test_invalid_needs_a_reason_and_is_left_out_of_the_three_month_rule(box, handler):
    old = submit(box, at(2026, 1, 5)).message
    other = submit(box, at(2026, 1, 6), subject="骂人的留言", text="……").message
    with pytest.raises(ValidationError):
        message_act(message=other, type="rejected", by=handler)
    message_act(message=other, type="rejected", by=handler, reason="abuse")
    found = selectors.unanswered_over_limit(today=dt.date(2026, 5, 1))
    assert [o.message.pk for o in found] == [old.pk]
    assert selectors.unanswered_over_limit(today=dt.date(2026, 4, 5)) == []  # exactly 3 months: not over


def test_staff_without_role_cannot_act(box, other_department):
    from tests.conftest import make_user
    m = submit(box).message
    with pytest.raises(PermissionDenied):
        message_act(message=m, type="accepted", by=make_user("x", other_department, "handler"))


def test_reply_with_severe_wording_is_refused_and_published_text_masks_personal_data(box, handler):
    m = submit(box).message
    message_act(message=m, type="accepted", by=handler)
    masked = mask_personal_data("请联系13812345678办理")
    assert "13812345678" not in masked and "138" in masked


def test_submission_rate_limit_per_address(box, settings):
    settings.INTERACTION_SUBMIT_LIMIT_PER_ADDRESS = "2/3600"
    submit(box, ip="1.2.3.4")
    submit(box, ip="1.2.3.4")
    with pytest.raises(RateLimited):
        submit(box, ip="1.2.3.4")
    submit(box, ip="5.6.7.8")


def test_message_of_a_deleted_department_stays_with_the_parent(box, government, handler):
    dept = organisation_create(name="撤并的局", code="GONE01", parent=government)
    m = submit(box).message
    # Set up directly: a forward would write audit events of the department, and the append-only audit log
    # (a trigger on PostgreSQL) keeps an organisation with history from being deleted at all.
    Message.objects.filter(pk=m.pk).update(organisation=dept)
    dept.delete()
    assert Message.objects.get(pk=m.pk).organisation == government


def test_import_is_idempotent_with_per_line_errors(box, tmp_path):
    rows = [
        {"留言编号": "1", "留言用户": "U1", "留言主题": "A2区小区停车难", "留言时间": "2019/4/25 9:32:09",
         "留言详情": "停车难", "答复意见": "已协调", "答复时间": "2019/5/10 14:56:53"},
        {"留言编号": "2", "留言用户": "U2", "留言主题": "A2区小区停车位不足", "留言时间": "2019/1/2 9:00:00",
         "留言详情": "车位", "答复意见": "已处理", "答复时间": "2019/6/10 9:00:00"},
        {"留言编号": "3", "留言主题": "坏时间", "留言时间": "昨天"},
    ]
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    first = messages_import(path=path, mailbox=box)
    assert (first.created, first.skipped, len(first.errors)) == (2, 0, 1) and "第 3 行" in first.errors[0]
    again = messages_import(path=path, mailbox=box)
    assert (again.created, again.skipped) == (0, 2)
    found = selectors.unanswered_over_limit(today=dt.date(2019, 12, 1))
    assert [o.message.external_id for o in found] == ["test-zixun:2"] and found[0].replied_late
    topics = selectors.hot_topics(since=at(2019, 1, 1), until=at(2019, 12, 31))
    assert topics[0].count == 2 and topics[0].place == "A2区"


def test_similar_answered_messages_are_found(box, handler):
    a = submit(box, subject="小学招生报名时间", text="小学招生报名什么时候").message
    message_act(message=a, type="replied", by=handler, text="6月报名。")
    submit(box, subject="道路施工噪音", text="夜间施工噪音扰民")
    b = submit(box, subject="小学招生报名", text="请问小学招生报名时间").message
    assert [m.pk for _, m in selectors.similar_answered(message=b)] == [a.pk]


def test_group_of_is_an_organisation_tree_fk():
    assert Message._meta.get_field("organisation").related_model is Organisation


def test_hot_topics_ranked_with_counts_trend_and_change_against_the_previous_window(box):
    def send(subject, when):
        message_submit(mailbox=box, subject=subject, text=subject, client_address=f"t{when:%m%d%H}{subject}"[:40],
                       now=when)

    send("幸福小区停车难", at(2026, 2, 10))  # the preceding window (February)
    for day, h in [(3, 9), (20, 9), (24, 10), (26, 11)]:  # March: 1 in the first half, 3 in the second
        send("幸福小区停车难问题", at(2026, 3, day, h))
    send("和平路路灯不亮", at(2026, 3, 5))
    send("和平路路灯不亮", at(2026, 3, 6))
    topics = selectors.hot_topics(since=at(2026, 3, 1, 0), until=at(2026, 3, 31, 0))
    first, second = topics[0], topics[1]
    assert first.place == "幸福小区" and first.count == 4 and (first.earlier, first.recent) == (1, 3)
    assert first.trend == "上升" and first.previous == 1 and first.change == "上升"
    assert second.count == 2 and second.trend == "下降" and second.previous == 0 and second.change == "新出现"


def test_the_clock_counts_the_local_day_not_the_utc_day(box):
    """01:30 Beijing time on Wednesday 2026-12-02 is 17:30 UTC on Tuesday: the message is of Wednesday, so a
    5-working-day 咨询 is due Wednesday 12-09 (not Tuesday 12-08). Found by the PostgreSQL run after 16:00 UTC."""
    when = dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC)
    m = submit(box, when=when).message
    assert m.due_on == dt.date(2026, 12, 9)
    m.refresh_from_db()
    assert selectors.message_clock(message=m, today=dt.date(2026, 12, 3)).due_on == dt.date(2026, 12, 9)
