"""The 意见征集 column: list, consultation page, comment form (abuse cases), feedback, catalogue, feed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.consultations import services
from gongkai.consultations.models import Opinion, OpinionGroup
from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False) as t:
        yield t


@pytest.fixture
def consultation(department, editor):
    return make_consultation(department, editor, starts_on=START)


def key_of(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def post(client, consultation, body, key=None, **extra):
    url = reverse("portal:consultation", args=[consultation.pk])
    key = key or key_of(client.get(url))
    return client.post(url, {"idempotency_key": key, "body": body, **extra})


def test_open_consultation_is_listed_with_days_left(consultation):
    page = Client().get(reverse("portal:consultation_list") + "?status=open").content.decode()
    assert consultation.title in page and "还剩 28 天" in page
    assert consultation.title not in Client().get(reverse("portal:consultation_list") + "?status=closed").content.decode()


def test_draft_consultation_is_not_public(department, editor):
    draft = make_consultation(department, editor, starts_on=START, publish=False, title="内部草稿")
    assert Client().get(reverse("portal:consultation", args=[draft.pk])).status_code == 404
    assert "内部草稿" not in Client().get(reverse("portal:consultation_list")).content.decode()


def test_page_shows_the_draft_article_by_article_and_the_form(consultation):
    page = Client().get(reverse("portal:consultation", args=[consultation.pk])).content.decode()
    assert "对第三条提意见" in page and "起草说明" in page and 'name="body"' in page
    assert "不少于 7个工作日" in page


def test_comment_is_stored_once_and_counted(consultation):
    client = Client()
    url = reverse("portal:consultation", args=[consultation.pk])
    key = key_of(client.get(url))
    article = consultation.articles.get(label="第三条")
    r1 = client.post(url, {"idempotency_key": key, "body": "犬链长度建议放宽", "article": article.pk,
                           "phone": "13812345678"})
    r2 = client.post(url, {"idempotency_key": key, "body": "犬链长度建议放宽", "article": article.pk})
    assert r1.status_code == r2.status_code == 302 and "submitted=1" in r1["Location"]
    opinion = Opinion.objects.get()
    assert opinion.article == article and opinion.contact["phone"] == "13812345678"
    page = client.get(url).content.decode()
    assert '<strong id="opinion-count">1</strong>' in page
    assert "13812345678" not in page and "犬链长度建议放宽" not in page  # not yet moderated


def test_script_in_a_comment_is_shown_as_text(consultation, editor):
    post(Client(), consultation, "<script>alert(1)</script>意见")
    services.opinion_moderate(opinion=Opinion.objects.get(), by=editor, publish=True)
    page = Client().get(reverse("portal:consultation", args=[consultation.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;意见" in page


def test_empty_oversize_and_bad_contact_are_refused_on_the_form(consultation):
    client = Client()
    assert post(client, consultation, "").status_code == 400
    assert post(client, consultation, "长" * 5001).status_code == 400
    r = post(client, consultation, "正常意见", phone="12")
    assert r.status_code == 400 and "电话号码格式不正确" in r.content.decode()
    assert not Opinion.objects.exists()


def test_flood_from_one_client_is_stopped(consultation):
    client = Client()
    codes = [post(client, consultation, f"意见第{i}条").status_code for i in range(7)]
    assert codes[:5] == [302] * 5 and codes[5:] == [429, 429]
    assert Opinion.objects.count() == 5


def test_comment_after_the_end_is_refused_and_nothing_stored(consultation, clock):
    client = Client()
    url = reverse("portal:consultation", args=[consultation.pk])
    key = key_of(client.get(url))
    clock.move_to(dt.datetime(2026, 4, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    r = client.post(url, {"idempotency_key": key, "body": "迟到的意见"})
    assert r.status_code == 400 and "不再接收意见" in r.content.decode()
    assert not Opinion.objects.exists()


def test_feedback_is_published_on_the_page(consultation, editor, clock):
    client = Client()
    post(client, consultation, "建议增设遛狗时段")
    post(client, consultation, "建议增设 遛狗时段！")
    group = OpinionGroup.objects.get()
    services.opinion_moderate_group(group=group, by=editor, publish=True)
    clock.move_to(dt.datetime(2026, 4, 3, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    services.group_answer(group=group, by=editor, outcome="not_adopted", reason="遛狗时段由各社区自行约定。")
    services.feedback_publish(consultation=consultation, by=editor, summary="共收到意见2条，合并为1条。")
    page = client.get(reverse("portal:consultation", args=[consultation.pk])).content.decode()
    assert "意见采纳情况" in page and "遛狗时段由各社区自行约定" in page and "相同意见 2 条" in page
    assert "已公布意见采纳情况" in page
    listed = client.get(reverse("portal:consultation_list") + "?status=outcome").content.decode()
    assert consultation.title in listed


def test_decision_catalogue_page_and_feed(government, department, office_admin, editor, consultation):
    item = services.decision_item_create(catalogue_owner=government, by=office_admin, year=2026,
                                         title="制定养犬管理办法", owner_unit=department, legal_basis="《动物防疫法》")
    url = reverse("portal:decision_catalogue", args=[government.code, 2026])
    assert Client().get(url).status_code == 404  # not yet published
    services.decision_catalogue_publish(catalogue_owner=government, year=2026, by=office_admin)
    page = Client().get(url).content.decode()
    assert item.title in page and "测试市教育局" in page
    feed = Client().get(reverse("portal:feed_consultations")).content.decode()
    assert consultation.title in feed and "<feed" in feed


def test_elderly_mode_page_renders(consultation):
    client = Client()
    client.get(reverse("portal:elderly_toggle") + "?mode=on")
    page = client.get(reverse("portal:consultation", args=[consultation.pk])).content.decode()
    assert 'class="elderly"' in page


def test_an_extension_and_its_reason_are_shown_on_the_page(consultation, editor):
    services.consultation_extend(consultation=consultation, by=editor, ends_on=consultation.ends_on + dt.timedelta(days=7),
                                 reason="应社会各界要求，延长征求意见期限。")
    html = Client().get(reverse("portal:consultation", args=[consultation.pk])).content.decode()
    assert "原定 2026年4月1日 截止，延长至 2026年4月8日" in html and "应社会各界要求" in html
