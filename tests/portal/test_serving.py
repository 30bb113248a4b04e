"""Security headers, no inline code, cache validators with correct invalidation, elderly mode."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from gongkai.documents import services
from gongkai.portal.preferences import ELDERLY_COOKIE
from tests.documents.factories import published_document

from .conftest import doc_url

pytestmark = pytest.mark.django_db


def test_security_headers_on_public_pages(client, library):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # plain HTTP (HTTPS setting off)


def test_hsts_when_https_is_on(client, settings, library):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("page", ["home", "library", "document", "column_guide", "not_found"])
def test_pages_have_no_inline_scripts_or_styles(client, library, organisation, page):
    url = {"home": "/", "library": "/zhengce/?q=补贴", "document": doc_url(library.current),
           "column_guide": reverse("portal:column_guide", kwargs={"code": organisation.code}), "not_found": "/nope/"}[page]
    tree = lxml_html.fromstring(client.get(url).content)
    assert not [s for s in tree.iter("script") if not s.get("src")]
    assert not list(tree.iter("style"))
    assert not tree.xpath("//*[@style]")
    assert not tree.xpath("//@*[starts-with(name(), 'on')]")


def test_page_structure_is_accessible(client, library):
    tree = lxml_html.fromstring(client.get(doc_url(library.current)).content)
    assert tree.get("lang") == "zh-Hans"
    assert tree.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert len(tree.xpath("//main[@id='main']")) == 1 and tree.xpath("//header") and tree.xpath("//footer")
    assert len(tree.xpath("//h1")) == 1
    for control in tree.xpath("//input[not(@type='hidden')] | //select"):
        assert tree.xpath(f"//label[@for='{control.get('id')}']"), control.get("name")
    assert all(img.get("alt") is not None for img in tree.iter("img"))


def test_public_pages_carry_validators_and_answer_304(client, library):
    response = client.get(doc_url(library.current))
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in response["Vary"]
    again = client.get(doc_url(library.current), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_withdrawn_document_disappears_immediately_from_cached_pages(client, library, reviewer, committed):
    url = doc_url(library.current)
    first = client.get(url)
    assert client.get("/").content.decode().count(library.current.title) >= 1
    client.get(reverse("portal:feed_latest"))  # warm the cache
    assert library.current.title in client.get("/zhengce/", {"q": "八十周岁"}).content.decode()
    committed(services.document_withdraw, document=library.current, by=reviewer, reason="发现错误")
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 410
    assert library.current.title not in client.get("/").content.decode().split("最新文件")[1]
    assert library.current.title not in client.get(reverse("portal:feed_latest")).content.decode()
    assert library.current.title not in client.get("/zhengce/", {"q": "八十周岁"}).content.decode().split("results-summary")[1]


def test_publish_and_amend_show_at_once(client, library, department, editor, reviewer, committed):
    client.get("/")
    client.get(doc_url(library.budget))
    search = {"q": "预算"}
    assert "找到 1 件" in client.get("/zhengce/", search).content.decode()
    newer = committed(published_document, organisation=department, by=editor, reviewer=reviewer, title="新发布的预算调整通知")
    assert "新发布的预算调整通知" in client.get("/").content.decode()
    assert doc_url(newer) in client.get("/zhengce/", search).content.decode()
    committed(services.document_amend, document=library.budget, by=reviewer, amended_by=newer)
    assert "本文件已被修改" in client.get(doc_url(library.budget)).content.decode()
    assert "已修改" in client.get("/zhengce/", search).content.decode()


def test_elderly_mode_switch_persists_and_is_rendered_server_side(client, library):
    target = doc_url(library.current)
    normal = client.get(target).content.decode()
    assert '<html lang="zh-Hans" class="">' in normal
    response = client.get(reverse("portal:elderly_toggle"), {"mode": "on", "next": target})
    assert response.status_code == 303 and response["Location"] == target
    assert response.cookies[ELDERLY_COOKIE].value == "1"
    assert response.cookies[ELDERLY_COOKIE]["max-age"] >= 365 * 24 * 3600
    elderly = client.get(target)
    assert '<html lang="zh-Hans" class="elderly">' in elderly.content.decode()
    assert "退出老年模式" in elderly.content.decode()
    # The same information in both modes: the metadata box and body are identical.
    assert normal.split('class="meta-box"')[1].split("</section>")[0] == \
        elderly.content.decode().split('class="meta-box"')[1].split("</section>")[0]
    off = client.get(reverse("portal:elderly_toggle"), {"mode": "off", "next": target})
    assert off.cookies[ELDERLY_COOKIE].value == ""
    assert '<html lang="zh-Hans" class="">' in client.get(target).content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_elderly_switch_never_redirects_off_site(client, target):
    response = client.get(reverse("portal:elderly_toggle"), {"mode": "on", "next": target})
    assert response["Location"] == "/"


def test_a_cached_page_costs_one_query_and_elderly_pages_are_cached_apart(client, library, django_assert_num_queries):
    url = doc_url(library.current)
    client.get(url)
    with django_assert_num_queries(1):  # the content version
        assert client.get(url).status_code == 200
    client.cookies[ELDERLY_COOKIE] = "1"
    assert 'class="elderly"' in client.get(url).content.decode()
    del client.cookies[ELDERLY_COOKIE]
    assert 'class=""' in client.get(url).content.decode()


def test_static_files_are_collected_with_hashed_names_and_compressed(settings, tmp_path):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", "-v0")  # Django resets the storage when STORAGES changes
    hashed = list((tmp_path / "portal" / "css").glob("site.*.css"))
    assert hashed and any(p.with_name(p.name + ".gz").exists() for p in hashed)
    assert list((tmp_path / "portal" / "js").glob("site.*.js.gz"))


def test_search_pages_are_not_stored_until_the_index_has_caught_up(client, library, django_assert_num_queries):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from gongkai.portal.caching import SEARCH_SETTLE_SECONDS

    url = "/zhengce/?q=%E8%A1%A5%E8%B4%B4"
    fresh = client.get(url)  # the library was written just now: the index may still be catching up
    assert fresh.status_code == 200 and "ETag" not in fresh
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=SEARCH_SETTLE_SECONDS + 1)):
        settled = client.get(url)
        assert "ETag" in settled
        with django_assert_num_queries(1):  # stored: the content version only
            assert client.get(url).content == settled.content


def test_pages_rendered_by_other_code_are_not_served(client, library, monkeypatch):
    from gongkai.core import pagecache

    url = doc_url(library.current)
    first = client.get(url)
    monkeypatch.setattr(pagecache, "_code_token", ["upgraded"])
    assert client.get(url)["ETag"] != first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_content_version_outside_a_transaction_sees_each_committed_audit_event(government):
    from gongkai.core.services import audit_record
    from gongkai.portal.caching import content_version

    before = content_version()
    event = audit_record(actor=None, action="test.changed", obj=government)
    assert content_version() == event.pk > before


@pytest.mark.parametrize("page", ["home", "library", "document"])
def test_anonymous_pages_never_look_up_a_session_or_a_user(client, library, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = {"home": "/", "library": "/zhengce/?q=补贴", "document": doc_url(library.current)}[page]
    client.cookies["sessionid"] = "no-such-session"  # even a stale cookie is not looked up
    with CaptureQueriesContext(connection) as rendered:
        assert client.get(url).status_code == 200
    tables = " ".join(q["sql"] for q in rendered.captured_queries)
    assert "django_session" not in tables and "core_user" not in tables
