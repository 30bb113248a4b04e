"""在线访谈: announce, questions before and during (moderated, rate-limited), transcript with speaker turns
published after the interview, the yearly count per organisation; public and staff pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.interaction import selectors, services
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


@pytest.fixture
def host(department):
    return make_user("host", department, Role.HANDLER)


@pytest.fixture
def interview(department, host):
    now = timezone.now()
    return services.interview_create(by=host, organisation=department, title="义务教育招生政策解读",
                                     guests="王明，市教育局局长\n李华，基础教育科科长",
                                     starts_at=now + dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=2))


def test_create_needs_staff_and_a_sane_time(department, host):
    with pytest.raises(PermissionDenied):
        services.interview_create(by=make_user("x"), organisation=department, title="t", guests="g",
                                  starts_at=at(2026, 5, 1), ends_at=at(2026, 5, 1, 11))
    with pytest.raises(ValidationError):
        services.interview_create(by=host, organisation=department, title="t", guests="g",
                                  starts_at=at(2026, 5, 1, 11), ends_at=at(2026, 5, 1, 10))


def test_questions_moderated_transcript_published_after_the_end(interview, host, settings):
    assert selectors.interview_status(interview=interview) == "announced"
    q = services.interview_question_submit(interview=interview, text="学区怎么划分？", nickname="家长", client_address="1.1.1.1")
    assert q.state == "pending"
    services.interview_question_moderate(question=q, by=host, state="approved", answer="按街道和小区划分，6月公布。",
                                         answered_by="王明")
    with pytest.raises(ValidationError, match="结束后"):
        services.interview_transcript_save(interview=interview, by=host, text="主持人：大家好\n王明：谢谢")
        services.interview_transcript_publish(interview=interview, by=host)
    with pytest.raises(ValidationError):
        services.interview_question_submit(interview=interview, text="迟到的问题", client_address="1.1.1.1",
                                           now=interview.ends_at + dt.timedelta(minutes=1))
    turns = services.interview_transcript_save(interview=interview, by=host,
                                               text="主持人：各位网友大家好。\n王明：谢谢主持人。\n今年招生有三个变化。\n李华：我补充一点。")
    assert [(t.speaker, t.text) for t in turns] == [("主持人", "各位网友大家好。"), ("王明", "谢谢主持人。\n今年招生有三个变化。"),
                                                    ("李华", "我补充一点。")]
    services.interview_transcript_publish(interview=interview, by=host, now=interview.ends_at + dt.timedelta(hours=1))
    interview.refresh_from_db()
    assert selectors.interview_status(interview=interview) == "archived"
    page = Client().get(f"/hudong/fangtan/{interview.pk}/").content.decode()
    assert "今年招生有三个变化" in page and "学区怎么划分" in page and "按街道和小区划分" in page
    assert "我要提问" not in page


def test_question_rate_limit_and_public_form(interview, settings):
    settings.INTERACTION_INTERVIEW_QUESTION_LIMIT_PER_ADDRESS = "1/3600"
    c = Client()
    assert "我要提问" in c.get(f"/hudong/fangtan/{interview.pk}/").content.decode()
    assert c.post(f"/hudong/fangtan/{interview.pk}/", {"text": "问题一"}).status_code == 302
    assert c.post(f"/hudong/fangtan/{interview.pk}/", {"text": "问题二"}).status_code == 429
    page = c.get(f"/hudong/fangtan/{interview.pk}/").content.decode()
    assert "问题一" not in page  # not shown before moderation
    assert "义务教育招生政策解读" in c.get("/hudong/fangtan/").content.decode()


def test_yearly_count_and_staff_pages(interview, department, other_department, host):
    year = interview.starts_at.year
    counts = {r["organisation"].name: (r["count"], r["below"]) for r in selectors.interview_counts(year=year)}
    assert counts[department.name] == (1, False) and counts[other_department.name] == (0, True)
    c = Client()
    c.force_login(host)
    assert "义务教育招生政策解读" in c.get("/workspace/interaction/fangtan/").content.decode()
    q = services.interview_question_submit(interview=interview, text="民办学校摇号吗？", client_address="2.2.2.2")
    r = c.post(f"/workspace/interaction/fangtan/{interview.pk}/moderate/",
               {"question": q.pk, "state": "approved", "answered_by": "李华", "answer": "民办学校报名超额的实行电脑随机录取。"})
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.state == "approved"
    r = c.post("/workspace/interaction/fangtan/new/", {
        "organisation": department.pk, "title": "就业创业政策", "guests": "张三，局长",
        "starts_at": "2026-12-20T10:00", "ends_at": "2026-12-20T11:00"})
    assert r.status_code == 302
