"""Issue 17 item 8: the government-website footer, configurable per platform, on every public page."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from gongkai.core.models import SiteIdentity, User

pytestmark = pytest.mark.django_db

IDENTITY = {"sponsor": "测试市人民政府办公室", "organiser": "测试市大数据中心", "site_code": "9999000001",
            "icp_record": "测ICP备00000001号", "police_record": "测公网安备99990002000001号",
            "party_gov_mark_url": "https://bszs.conac.cn/", "error_report_email": "zhaocuo@example.gov.cn"}


def _error_report_link() -> str:
    try:
        return reverse("portal:error_report")
    except NoReverseMatch:
        return "mailto:zhaocuo@example.gov.cn"


def test_every_public_page_shows_the_configured_footer(department):
    SiteIdentity.objects.create(pk=1, **IDENTITY)
    pages = [reverse("portal:home"), reverse("portal:library"), reverse("portal:organisations"),
             reverse("portal:column", kwargs={"code": department.code}), reverse("applications_portal:start"),
             reverse("applications_portal:track")]
    for url in pages:
        html = Client().get(url).content.decode()
        for text in ("主办单位：测试市人民政府办公室", "承办单位：测试市大数据中心", "网站标识码：9999000001",
                     "测ICP备00000001号", "测公网安备99990002000001号", ">党政机关网站<", ">网站找错<"):
            assert text in html, (url, text)
        assert f'href="{_error_report_link()}"' in html


def test_without_settings_the_footer_has_no_empty_labels(department):
    html = Client().get(reverse("portal:home")).content.decode()
    assert "主办单位" not in html and "网站标识码" not in html


def test_the_platform_administrator_edits_it_in_the_admin(department):
    SiteIdentity.objects.create(pk=1, **IDENTITY)
    admin = User.objects.create_superuser(username="root", password="Test-pass-123", email="root@example.gov.cn")
    client = Client()
    client.force_login(admin)
    url = reverse("admin:core_siteidentity_change", args=[1])
    assert client.get(url).status_code == 200
    response = client.post(url, {**IDENTITY, "sponsor": "测试市政务服务管理局"})
    assert response.status_code == 302
    assert SiteIdentity.objects.get(pk=1).sponsor == "测试市政务服务管理局"
    assert "主办单位：测试市政务服务管理局" in Client().get(reverse("portal:library")).content.decode()
