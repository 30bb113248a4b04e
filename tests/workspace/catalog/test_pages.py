"""The back-office 目录与指南 page: findings per organisation, standard-catalogue adoption by the office admin."""

import pytest
from django.urls import reverse

from gongkai.catalog import selectors
from gongkai.catalog.models import AdoptedItem, StandardItem

pytestmark = pytest.mark.django_db


def test_overview_shows_guide_findings(client, editor, department):
    client.force_login(editor)
    r = client.get(reverse("workspace:catalog_overview"))
    html = r.content.decode()
    assert r.status_code == 200
    assert department.name in html and "公开指南缺少" in html and "传真号码" in html
    assert "采用标准目录" not in html  # an editor cannot adopt
    assert reverse("workspace:catalog_overview") in client.get(reverse("workspace:home")).content.decode()


def test_office_admin_adopts_township_items(client, office_admin, government):
    client.force_login(office_admin)
    r = client.post(reverse("workspace:catalog_adopt", kwargs={"pk": government.pk}), {"level": "乡级"})
    assert r.status_code == 302
    n = AdoptedItem.objects.filter(organisation=government).count()
    assert n == sum("乡级" in s.levels for s in StandardItem.objects.all()) > 0
    html = client.get(reverse("workspace:catalog_overview")).content.decode()
    assert "无内容" in html and "未指定公开主体" in html
    assert len(selectors.items_needing_attention(organisation=government)["未指定公开主体"]) == n


def test_editor_cannot_adopt(client, editor, department):
    client.force_login(editor)
    r = client.post(reverse("workspace:catalog_adopt", kwargs={"pk": department.pk}), {"level": "县级"})
    assert r.status_code == 404 and not AdoptedItem.objects.exists()


def test_bad_level_is_refused(client, office_admin, government):
    client.force_login(office_admin)
    client.post(reverse("workspace:catalog_adopt", kwargs={"pk": government.pk}), {"level": "省级"})
    assert not AdoptedItem.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    r = client.get(reverse("workspace:catalog_overview"))
    assert r.status_code == 302 and "login" in r["Location"]
