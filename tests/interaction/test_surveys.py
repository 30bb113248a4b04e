"""网上调查: questions parsed from the staff's text, one answer sheet per browser without identity (cookie
token stored as a keyed hash), rate limit, open period, results as chart and CSV only once closed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.interaction import selectors, services
from gongkai.interaction.models import SurveyResponse
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
QUESTIONS = "[单选] 您对社区养老服务满意吗？\n满意\n一般\n不满意\n\n[多选] 您最需要哪些服务？\n助餐\n助浴\n医疗\n\n[填空] 其他建议"


@pytest.fixture
def staff(department):
    return make_user("s", department, Role.HANDLER)


@pytest.fixture
def survey(department, staff):
    today = timezone.localdate()
    return services.survey_create(by=staff, organisation=department, title="社区养老服务需求调查",
                                  opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=7),
                                  questions=QUESTIONS)


@pytest.mark.parametrize("text,error", [
    ("您满意吗？\n是\n否", "开头"), ("[单选] 只有一个选项\n是", "两个选项"), ("", "至少"),
])
def test_question_parsing_refuses_bad_input(text, error):
    with pytest.raises(ValidationError, match=error):
        services.survey_questions_parse(text)


def test_one_answer_per_browser_and_no_identity(survey):
    q1, q2, q3 = survey.questions.all()
    token = "t" * 24
    sheet = services.survey_respond(survey=survey, token=token, client_address="1.1.1.1",
                                    answers={str(q1.pk): "满意", str(q2.pk): ["助餐", "医疗", "不存在的选项"], str(q3.pk): " 多开展活动 "})
    assert sheet.answers == {str(q1.pk): "满意", str(q2.pk): ["助餐", "医疗"], str(q3.pk): "多开展活动"}
    assert token not in sheet.voter and len(sheet.voter) == 64
    with pytest.raises(services.AlreadyAnswered):
        services.survey_respond(survey=survey, token=token, answers={str(q1.pk): "一般", str(q2.pk): ["助浴"]})
    with pytest.raises(ValidationError) as exc:
        services.survey_respond(survey=survey, token="u" * 24, answers={str(q1.pk): "很好"})
    assert set(exc.value.error_dict) == {f"q{q1.pk}", f"q{q2.pk}"}
    with pytest.raises(ValidationError, match="开放期"):
        services.survey_respond(survey=survey, token="v" * 24, answers={}, today=survey.closes_on + dt.timedelta(days=1))


def test_rate_limit(survey, settings):
    settings.INTERACTION_SURVEY_LIMIT_PER_ADDRESS = "2/3600"
    q1, q2, _ = survey.questions.all()
    answers = {str(q1.pk): "一般", str(q2.pk): ["助浴"]}
    for i in range(2):
        services.survey_respond(survey=survey, token=f"{i}" * 24, answers=answers, client_address="9.9.9.9")
    with pytest.raises(services.RateLimited):
        services.survey_respond(survey=survey, token="z" * 24, answers=answers, client_address="9.9.9.9")


def test_public_pages_cookie_once_and_results_after_close(survey):
    q1, q2, _ = survey.questions.all()
    c = Client()
    page = c.get(f"/hudong/diaocha/{survey.pk}/")
    assert "gk_survey" in page.cookies and "提交答卷" in page.content.decode()
    assert c.post(f"/hudong/diaocha/{survey.pk}/", {f"q{q1.pk}": "满意"}).status_code == 400
    assert c.post(f"/hudong/diaocha/{survey.pk}/", {f"q{q1.pk}": "满意", f"q{q2.pk}": ["助餐", "助浴"]}).status_code == 302
    r = c.post(f"/hudong/diaocha/{survey.pk}/", {f"q{q1.pk}": "一般", f"q{q2.pk}": ["助餐"]})
    assert r.status_code == 409 and SurveyResponse.objects.count() == 1
    other = Client()
    other.get(f"/hudong/diaocha/{survey.pk}/")
    assert other.post(f"/hudong/diaocha/{survey.pk}/", {f"q{q1.pk}": "一般", f"q{q2.pk}": ["助餐"]}).status_code == 302
    assert c.get(f"/hudong/diaocha/{survey.pk}/jieguo.csv").status_code == 404  # still open
    survey.closes_on = timezone.localdate() - dt.timedelta(days=1)
    survey.save()
    page = c.get(f"/hudong/diaocha/{survey.pk}/").content.decode()
    assert '<strong id="sheets">2</strong>' in page and "<svg" in page and "提交答卷" not in page
    csv = c.get(f"/hudong/diaocha/{survey.pk}/jieguo.csv").content.decode("utf-8-sig")
    assert "满意,1,50.0%" in csv and "助餐,2,100.0%" in csv and "答卷总数,,2" in csv
    results = selectors.survey_results(survey=survey)
    assert [o["count"] for o in results["rows"][0]["options"]] == [1, 1, 0]


def test_staff_pages(staff, department):
    c = Client()
    c.force_login(staff)
    r = c.post("/workspace/interaction/diaocha/new/", {
        "organisation": department.pk, "title": "停车难问题调查", "opens_on": "2026-12-01", "closes_on": "2026-12-31",
        "results_public": "on", "questions": "[单选] 您所在小区停车难吗？\n难\n不难"})
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "停车难问题调查" in page and "您所在小区停车难吗" in page
    assert "停车难问题调查" in c.get("/workspace/interaction/diaocha/").content.decode()
    assert c.post("/workspace/interaction/diaocha/new/", {"organisation": department.pk, "title": "x",
                                                          "opens_on": "2026-12-01", "closes_on": "2026-12-31",
                                                          "questions": "无格式"}).status_code == 400
