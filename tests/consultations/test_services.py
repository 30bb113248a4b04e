"""The consultation write door: periods, the comment window, abuse, moderation, grouping, feedback."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.consultations import selectors, services
from gongkai.consultations.models import Consultation, DecisionItem, Opinion, OpinionGroup, PeriodRule
from gongkai.core.models import AuditEvent

from .conftest import TODAY, make_consultation

pytestmark = pytest.mark.django_db


def submit(consultation, body="建议犬链长度放宽到2米。", key=None, address="10.0.0.1", today=TODAY, **kw):
    return services.opinion_submit(consultation=consultation, body=body, idempotency_key=key or services.idempotency_key_new(),
                                   client_address=address, today=today, **kw)


# --- periods -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "days", "ok"), [
    ("major_decision", 29, False), ("major_decision", 30, True),
    ("rule", 29, False), ("rule", 30, True),
    ("other", 3, True),
])
def test_minimum_calendar_period_per_kind(department, editor, kind, days, ok):
    ends = TODAY + dt.timedelta(days=days - 1)
    if ok:
        make_consultation(department, editor, kind=kind, ends_on=ends, publish=False)
    else:
        with pytest.raises(ValidationError) as exc:
            make_consultation(department, editor, kind=kind, ends_on=ends, publish=False)
        assert "short_period_reason" in exc.value.error_dict


def test_normative_period_counts_working_days_across_a_holiday(department, editor):
    # 2026-09-28 (Mon) .. 10-10: 9/28, 9/29, 9/30 work, 10/1-10/7 holiday, 10/8, 10/9 work, 10/10 (Sat) works.
    start = dt.date(2026, 9, 28)
    assert selectors.period_length(unit="working_days", starts_on=start, ends_on=dt.date(2026, 10, 10)) == 6
    assert selectors.minimum_end(kind="normative", starts_on=start) == dt.date(2026, 10, 12)
    with pytest.raises(ValidationError):
        make_consultation(department, editor, starts_on=start, ends_on=dt.date(2026, 10, 10), publish=False)
    make_consultation(department, editor, starts_on=start, ends_on=dt.date(2026, 10, 12), publish=False)


def test_shorter_period_allowed_with_a_published_reason(department, editor):
    c = make_consultation(department, editor, kind="major_decision", ends_on=TODAY + dt.timedelta(days=9),
                          short_period_reason="应对突发事件，需尽快出台。")
    assert c.short_period_reason == "应对突发事件，需尽快出台。"


def test_periods_are_data_the_office_may_change(department, editor):
    assert PeriodRule.objects.get(key="period:major_decision").amount == 30
    PeriodRule.objects.filter(key="period:major_decision").update(amount=45)
    with pytest.raises(ValidationError):
        make_consultation(department, editor, kind="major_decision", ends_on=TODAY + dt.timedelta(days=40), publish=False)


def test_only_the_drafting_units_staff_may_open_a_consultation(department, other_editor):
    with pytest.raises(PermissionDenied):
        make_consultation(department, other_editor, publish=False)


def test_articles_are_cut_from_the_draft(consultation):
    assert [a.label for a in consultation.articles.all()] == ["第一条", "第二条", "第三条"]
    assert consultation.articles.get(label="第三条").text.startswith("第三条 携犬出户时")


# --- the comment window and abuse -------------------------------------------------------------------------------

def test_comment_inside_the_window_waits_for_moderation(consultation):
    opinion, replayed = submit(consultation, contact={"phone": "13812345678"})
    assert not replayed and opinion.state == Opinion.State.PENDING
    assert opinion.contact == {"phone": "13812345678"} and opinion.wants_answer


def test_comment_after_the_end_date_is_refused_and_nothing_stored(consultation):
    with pytest.raises(ValidationError, match="已于"):
        submit(consultation, today=consultation.ends_on + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="将于"):
        submit(consultation, today=TODAY - dt.timedelta(days=1))
    assert not Opinion.objects.exists() and not OpinionGroup.objects.exists()


def test_comment_on_a_draft_not_yet_published_is_refused(department, editor):
    c = make_consultation(department, editor, publish=False)
    with pytest.raises(ValidationError):
        submit(c)


@pytest.mark.parametrize("body", ["", " \n ", "x" * 5001])
def test_empty_or_oversize_comment_is_refused(consultation, body):
    with pytest.raises(ValidationError) as exc:
        submit(consultation, body=body)
    assert "body" in exc.value.error_dict
    assert not Opinion.objects.exists()


def test_html_is_stored_as_typed(consultation):
    opinion, _ = submit(consultation, body="<script>alert(1)</script>建议修改")
    assert opinion.body == "<script>alert(1)</script>建议修改"


def test_double_submit_is_idempotent(consultation):
    key = services.idempotency_key_new()
    first, _ = submit(consultation, key=key)
    second, replayed = submit(consultation, key=key, body="另一份文本")
    assert replayed and second.pk == first.pk and Opinion.objects.count() == 1
    assert OpinionGroup.objects.get().size == 1


def test_a_script_posting_many_comments_is_stopped(consultation):
    for i in range(5):
        submit(consultation, body=f"第{i}条意见内容")
    with pytest.raises(services.RateLimited):
        submit(consultation, body="第六条意见")
    assert Opinion.objects.count() == 5
    # Another address may still comment.
    submit(consultation, body="另一个人的意见", address="10.0.0.2")


def test_one_contact_cannot_flood_from_many_addresses(consultation):
    for i in range(5):
        submit(consultation, body=f"意见{i}号", address=f"10.1.0.{i}", contact={"email": "a@example.com"})
    with pytest.raises(services.RateLimited):
        submit(consultation, body="意见六号", address="10.1.0.9", contact={"email": "A@example.com"})


def test_bad_contact_is_refused(consultation):
    with pytest.raises(ValidationError) as exc:
        submit(consultation, contact={"phone": "12345"})
    assert "phone" in exc.value.error_dict


def test_comment_on_an_article_of_another_draft_is_refused(department, editor, consultation):
    other = make_consultation(department, editor, title="另一个草案")
    with pytest.raises(ValidationError):
        submit(consultation, article=other.articles.first())


# --- grouping and moderation ------------------------------------------------------------------------------------

def test_identical_opinions_are_grouped_ignoring_spacing_width_and_punctuation(consultation):
    a, _ = submit(consultation, body="坚决反对限制犬链长度！", address="1")
    b, _ = submit(consultation, body="坚决反对 限制犬链长度!", address="2")
    c, _ = submit(consultation, body="坚决反对限制犬链长度", address="3", article=consultation.articles.get(label="第三条"))
    assert a.group_id == b.group_id != c.group_id
    assert OpinionGroup.objects.get(pk=a.group_id).size == 2


def test_personal_data_in_an_opinion_is_flagged_and_blocks_publication(consultation, editor):
    opinion, _ = submit(consultation, body="我的手机13812345678，希望回电。养犬办法应增加犬证年检。")
    assert opinion.personal_data_hits
    with pytest.raises(ValidationError) as exc:
        services.opinion_moderate(opinion=opinion, by=editor, publish=True)
    assert "public_body" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.opinion_moderate(opinion=opinion, by=editor, publish=True, public_body="我的手机13812345678")
    services.opinion_moderate(opinion=opinion, by=editor, publish=True, public_body="养犬办法应增加犬证年检。")
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.PUBLISHED and opinion.public_body == "养犬办法应增加犬证年检。"


def test_group_text_is_the_first_published_copy_in_its_public_form(consultation, editor, django_assert_max_num_queries):
    first, _ = submit(consultation, body="养犬办法应增加犬证年检。电话13812345678", address="1")
    second, _ = submit(consultation, body="养犬办法应增加犬证年检。电话13812345678", address="2")
    third, _ = submit(consultation, body="养犬办法应增加犬证年检。电话13812345678", address="3")
    services.opinion_moderate(opinion=first, by=editor, publish=False, reason="spam")
    services.opinion_moderate(opinion=second, by=editor, publish=True, public_body="养犬办法应增加犬证年检。")
    services.opinion_moderate(opinion=third, by=editor, publish=True, public_body="养犬办法应增加犬证年检。（三）")
    group = OpinionGroup.objects.get()
    with django_assert_max_num_queries(1):
        texts = selectors.group_texts(groups=[group])
    assert texts == {group.pk: "养犬办法应增加犬证年检。"}
    assert selectors.group_text(group=group) == "养犬办法应增加犬证年检。"


def test_rejection_needs_a_reason(consultation, editor):
    opinion, _ = submit(consultation)
    with pytest.raises(ValidationError):
        services.opinion_moderate(opinion=opinion, by=editor, publish=False, reason="")
    services.opinion_moderate(opinion=opinion, by=editor, publish=False, reason="spam")
    assert Opinion.objects.get().reject_reason == "spam"


def test_a_campaign_is_moderated_at_once(consultation, editor):
    for i in range(4):
        submit(consultation, body="支持本办法", address=str(i))
    group = OpinionGroup.objects.get()
    assert services.opinion_moderate_group(group=group, by=editor, publish=True) == 4
    groups = list(selectors.published_groups(consultation=consultation))
    assert selectors.published_counts(groups=groups) == {group.pk: 4}


def test_staff_enter_offline_opinions_within_the_period(consultation, editor):
    opinion = services.opinion_enter(consultation=consultation, by=editor, body="来信：建议设立犬只公园。", channel="letter",
                                     received_on=TODAY + dt.timedelta(days=3), contact={"name": "张三"})
    assert opinion.channel == "letter" and opinion.entered_by == editor
    with pytest.raises(ValidationError):
        services.opinion_enter(consultation=consultation, by=editor, body="迟到的信", channel="letter",
                               received_on=consultation.ends_on + dt.timedelta(days=1))


# --- feedback ------------------------------------------------------------------------------------------------------

def _closed_with_opinions(consultation, editor):
    a, _ = submit(consultation, body="建议犬链放宽到2米", address="1", contact={"email": "x@example.com"})
    b, _ = submit(consultation, body="建议犬链放宽到2米", address="2")
    c, _ = submit(consultation, body="广告：出售犬粮", address="3")
    services.opinion_moderate_group(group=a.group, by=editor, publish=True)
    services.opinion_moderate(opinion=c, by=editor, publish=False, reason="spam")
    return a.group


def test_answer_needs_a_reason_unless_adopted(consultation, editor):
    group = _closed_with_opinions(consultation, editor)
    with pytest.raises(ValidationError):
        services.group_answer(group=group, by=editor, outcome="not_adopted", reason="")
    services.group_answer(group=group, by=editor, outcome="adopted")


def test_feedback_cycle_publishes_the_summary_and_notifies_commenters(consultation, editor, django_capture_on_commit_callbacks):
    group = _closed_with_opinions(consultation, editor)
    with pytest.raises(ValidationError, match="结束后"):
        services.feedback_publish(consultation=consultation, by=editor, summary="x", today=TODAY)
    after = consultation.ends_on + dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="未答复"):
        services.feedback_publish(consultation=consultation, by=editor, summary="x", today=after)
    services.group_answer(group=group, by=editor, outcome="partly", reason="放宽到1.8米。")
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_publish(consultation=consultation, by=editor, summary="共收到意见3条。", today=after)
    consultation.refresh_from_db()
    assert selectors.consultation_status(consultation=consultation, today=after) == "outcome"
    summary = selectors.adoption_summary(consultation=consultation)
    partly = next(r for r in summary.per_outcome if r["outcome"] == "partly")
    assert partly == {"outcome": "partly", "label": "部分采纳", "groups": 1, "opinions": 2}
    assert summary.main[0]["text"] == "建议犬链放宽到2米" and summary.main[0]["size"] == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["x@example.com"]
    assert "13812345678" not in str(list(AuditEvent.objects.values_list("after", flat=True)))
    with pytest.raises(ValidationError):
        services.group_answer(group=group, by=editor, outcome="adopted")


def test_feedback_due_date_one_month_after_close_or_ten_working_days_after_issue(consultation, editor):
    assert consultation.ends_on == dt.date(2026, 4, 1)
    assert selectors.feedback_due_on(consultation=consultation) == dt.date(2026, 5, 1)
    # Issued 4/20 (Mon): 10 working days = 5/8 (5/1-5/5 劳动节, 5/9 works), later than 5/1: one month applies.
    services.consultation_decision_issued(consultation=consultation, by=editor, issued_on=dt.date(2026, 4, 20))
    assert selectors.feedback_due_on(consultation=consultation) == dt.date(2026, 5, 1)
    # Issued 4/10 (Fri): 10 working days = 4/24, earlier: it applies.
    services.consultation_decision_issued(consultation=consultation, by=editor, issued_on=dt.date(2026, 4, 10))
    assert selectors.feedback_due_on(consultation=consultation) == dt.date(2026, 4, 24)


def test_overdue_queue_and_statistics_count_late_feedback(consultation, editor, department):
    late_day = dt.date(2026, 5, 4)
    queue = selectors.feedback_overdue(today=late_day)
    assert [c.pk for c, _ in queue] == [consultation.pk]
    stats = selectors.consultation_statistics(year=2026, today=late_day)
    assert stats["consultations"] == 1 and stats["feedback_overdue"] == 1


def test_close_early_needs_a_reason(consultation, editor):
    with pytest.raises(ValidationError):
        services.consultation_close(consultation=consultation, by=editor, reason="", today=TODAY + dt.timedelta(days=2))
    services.consultation_close(consultation=consultation, by=editor, reason="草案已停止制定", today=TODAY + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        submit(consultation, today=TODAY + dt.timedelta(days=2))


def test_hearing_is_announced_thirty_days_before(consultation, editor):
    from django.utils import timezone

    held = timezone.make_aware(dt.datetime(2026, 3, 20, 9))
    with pytest.raises(ValidationError):
        services.hearing_announce(consultation=consultation, by=editor, held_at=held, place="市政府1号会议室",
                                  participants_selection="公开报名，随机抽取", announced_on=TODAY)
    h = services.hearing_announce(consultation=consultation, by=editor, held_at=held + dt.timedelta(days=20),
                                  place="市政府1号会议室", participants_selection="公开报名，随机抽取", announced_on=TODAY)
    assert h.pk and "hearing" in Consultation.objects.get().channels


# --- the decision catalogue ---------------------------------------------------------------------------------------

def test_catalogue_items_added_after_publication_need_a_reason(government, department, office_admin, editor):
    item = services.decision_item_create(catalogue_owner=government, by=office_admin, year=2026, title="编制养犬管理办法",
                                         owner_unit=department, legal_basis="《动物防疫法》")
    with pytest.raises(PermissionDenied):
        services.decision_item_create(catalogue_owner=government, by=editor, year=2026, title="x", owner_unit=department)
    assert services.decision_catalogue_publish(catalogue_owner=government, year=2026, by=office_admin) == 1
    with pytest.raises(ValidationError):
        services.decision_item_create(catalogue_owner=government, by=office_admin, year=2026, title="增补事项",
                                      owner_unit=department)
    extra = services.decision_item_create(catalogue_owner=government, by=office_admin, year=2026, title="增补事项",
                                          owner_unit=department, reason="市政府常务会议决定增补")
    assert extra.number == 2 and extra.catalogue_published_at is not None
    services.decision_item_adjust(item=item, by=office_admin, reason="调整完成时间", planned_schedule="2026年第四季度")
    assert item.events.filter(kind="adjusted").get().changes["planned_schedule"][1] == "2026年第四季度"
    c = make_consultation(department, editor, kind="major_decision", decision_item=item)
    item.refresh_from_db()
    assert item.state == DecisionItem.State.CONSULTING and c.decision_item == item
    with pytest.raises(ValidationError):
        services.decision_item_advance(item=item, by=editor, state=DecisionItem.State.DRAFTING)
    services.decision_item_advance(item=item, by=editor, state=DecisionItem.State.LEGALITY_REVIEW)
    with pytest.raises(ValidationError):
        services.decision_item_advance(item=extra, by=office_admin, state=DecisionItem.State.REMOVED)
    services.decision_item_advance(item=extra, by=office_admin, state=DecisionItem.State.REMOVED, reason="上级已统一部署")
    assert [i.number for i in selectors.decision_catalogue(catalogue_owner=government, year=2026)] == [1, 2]


def test_an_open_consultation_is_extended_with_a_published_reason(consultation, editor):
    first_end = consultation.ends_on
    with pytest.raises(ValidationError):
        services.consultation_extend(consultation=consultation, by=editor, ends_on=first_end, reason="多听意见", today=TODAY)
    with pytest.raises(ValidationError):
        services.consultation_extend(consultation=consultation, by=editor, ends_on=first_end + dt.timedelta(days=10),
                                     reason=" ", today=TODAY)
    services.consultation_extend(consultation=consultation, by=editor, ends_on=first_end + dt.timedelta(days=10),
                                 reason="应社会各界要求，延长征求意见期限。", today=TODAY)
    services.consultation_extend(consultation=consultation, by=editor, ends_on=first_end + dt.timedelta(days=15),
                                 reason="再次延长。", today=TODAY)
    consultation.refresh_from_db()
    assert consultation.original_ends_on == first_end and consultation.ends_on == first_end + dt.timedelta(days=15)
    # A comment on a day after the first end date is now accepted.
    submit(consultation, today=first_end + dt.timedelta(days=3))
    assert AuditEvent.objects.filter(action="consultation.extend").count() == 2
    with pytest.raises(ValidationError):
        services.consultation_extend(consultation=consultation, by=editor, ends_on=first_end + dt.timedelta(days=30),
                                     reason="结束后", today=first_end + dt.timedelta(days=16))
