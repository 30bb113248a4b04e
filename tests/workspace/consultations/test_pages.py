"""The consultation pages of the back office: create, publish, moderate, answer, publish the feedback."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from gongkai.consultations import services
from gongkai.consultations.models import Consultation, DecisionItem, Opinion, OpinionGroup
from tests.consultations.conftest import DRAFT, make_consultation

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=TZ), tick=False) as t:
        yield t


def test_editor_creates_and_publishes_a_consultation(login, department, editor):
    client = login(editor)
    r = client.post(reverse("workspace:consultation_create"), {
        "organisation": department.pk, "kind": "normative", "title": "测试市养犬管理办法（征求意见稿）",
        "draft_text": DRAFT, "explanation": "说明", "channels": ["online", "email"],
        "starts_on": "2026-03-02", "ends_on": "2026-03-06",
    })
    assert r.status_code == 200 and "少于 7个工作日" in r.content.decode()
    r = client.post(reverse("workspace:consultation_create"), {
        "organisation": department.pk, "kind": "normative", "title": "测试市养犬管理办法（征求意见稿）",
        "draft_text": DRAFT, "explanation": "说明", "channels": ["online", "email"],
        "starts_on": "2026-03-02", "ends_on": "2026-03-12",
    })
    consultation = Consultation.objects.get()
    assert r.status_code == 302
    client.post(reverse("workspace:consultation_action", args=[consultation.pk, "publish"]))
    consultation.refresh_from_db()
    assert consultation.state == "published" and consultation.articles.count() == 3
    page = client.get(reverse("workspace:consultation_detail", args=[consultation.pk])).content.decode()
    assert "正在征求意见" in page


def test_other_units_staff_get_404(login, department, editor, other_editor):
    c = make_consultation(department, editor)
    assert login(other_editor).get(reverse("workspace:consultation_detail", args=[c.pk])).status_code == 404


def test_moderation_answer_and_feedback_through_the_pages(login, department, editor, clock,
                                                        django_capture_on_commit_callbacks):
    c = make_consultation(department, editor, starts_on=dt.date(2026, 3, 2))
    o1, _ = services.opinion_submit(consultation=c, body="建议放宽犬链长度", idempotency_key=services.idempotency_key_new(),
                                    client_address="1", contact={"email": "a@example.com"})
    o2, _ = services.opinion_submit(consultation=c, body="我的身份证号11010519491231002X，犬证办理太慢",
                                    idempotency_key=services.idempotency_key_new(), client_address="2")
    client = login(editor)
    page = client.get(reverse("workspace:consultation_detail", args=[c.pk])).content.decode()
    assert "含个人信息" in page and "a@example.com" not in page
    client.post(reverse("workspace:opinion_moderate", args=[o1.pk]), {"decision": "publish"})
    r = client.post(reverse("workspace:opinion_moderate", args=[o2.pk]), {"decision": "publish"}, follow=True)
    assert "含个人信息" in r.content.decode()
    client.post(reverse("workspace:opinion_moderate", args=[o2.pk]), {"decision": "publish",
                                                                      "public_body": "犬证办理太慢"})
    assert Opinion.objects.filter(state="published").count() == 2
    services.opinion_enter(consultation=c, by=editor, body="来信：支持", channel="letter", received_on=dt.date(2026, 3, 3))
    services.opinion_moderate(opinion=Opinion.objects.get(channel="letter"), by=editor, publish=True)
    clock.move_to(dt.datetime(2026, 4, 3, 10, tzinfo=TZ))
    client = login(editor)  # the staff session's idle timeout has passed
    overview = client.get(reverse("workspace:consultation_list")).content.decode()
    assert "待公布采纳情况" in overview and c.title in overview
    for group in OpinionGroup.objects.all():
        r = client.post(reverse("workspace:group_answer", args=[group.pk]), {"outcome": "not_adopted", "reason": ""},
                        follow=True)
        assert "必须说明理由" in r.content.decode()
        client.post(reverse("workspace:group_answer", args=[group.pk]), {"outcome": "adopted"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace:consultation_action", args=[c.pk, "feedback"]), {"summary": "共3条，均采纳。"})
    c.refresh_from_db()
    assert c.feedback_published_at is not None
    assert [m.to for m in mail.outbox] == [["a@example.com"]]


def test_office_keeps_the_decision_catalogue(login, government, department, office_admin, editor):
    client = login(office_admin)
    r = client.post(reverse("workspace:decision_create"), {
        "catalogue_owner": government.pk, "year": 2026, "title": "编制养犬管理办法", "owner_unit": department.pk})
    item = DecisionItem.objects.get()
    assert r.status_code == 302
    client.post(reverse("workspace:decision_action", args=[item.pk, "publish"]))
    client.post(reverse("workspace:decision_action", args=[item.pk, "material"]),
                {"kind": "risk_assessment", "title": "社会稳定风险评估报告", "body": "风险等级：低"})
    client.post(reverse("workspace:decision_action", args=[item.pk, "adjust"]),
                {"title": "编制养犬管理办法", "owner_unit": department.pk, "planned_schedule": "2026年12月",
                 "reason": "起草进度调整"})
    item.refresh_from_db()
    assert item.catalogue_published_at and item.planned_schedule == "2026年12月"
    page = client.get(reverse("workspace:decision_detail", args=[item.pk])).content.decode()
    assert "社会稳定风险评估报告" in page and "起草进度调整" in page
    assert login(editor).get(reverse("workspace:decision_create")).status_code == 302
