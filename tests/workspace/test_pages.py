"""Every back-office page renders for every role, and the document list does not grow queries per row."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.core.services import membership_grant
from gongkai.documents import services
from gongkai.documents.models import Topic

from ..conftest import make_user
from ..documents.factories import published_document

pytestmark = pytest.mark.django_db

ROLES = list(Role.values)
DRAFTING = {"editor", "reviewer", "signer", "office_admin", "platform_admin"}


@pytest.fixture
def library(department, editor, reviewer):
    """A draft, a published normative document with an interpretation, and attachments."""
    draft = services.document_create(organisation=department, by=editor, title="草稿<b>标题</b>",
                                     body="<p>正文</p>", audiences=["person"], life_stages=["上学"])
    published = published_document(organisation=department, by=editor, reviewer=reviewer, title="已发布规范性文件",
                                   genre="normative", doc_number="测教规〔2026〕1号",
                                   topic=Topic.objects.filter(parent__isnull=False).first())
    services.attachment_add(document=published, by=editor, name="附件1.pdf", file=SimpleUploadedFile("a.pdf", b"%PDF"))
    interpretation = published.interpretations.get()
    return {"draft": draft, "published": published, "interpretation": interpretation}


@pytest.fixture
def users(request, department, editor, reviewer, office_admin, platform_admin):
    users = {"editor": editor, "reviewer": reviewer, "office_admin": office_admin, "platform_admin": platform_admin}
    for role in Role.values:
        users.setdefault(role, make_user(f"user_{role}", department, role))
    return users


def pages(library):
    draft, published, interpretation = library["draft"], library["published"], library["interpretation"]
    return [
        reverse("workspace:home"),
        reverse("workspace:document_list"),
        reverse("workspace:document_list") + "?q=标题&status=draft&validity=valid&genre=notice&year=2026&page=2",
        reverse("workspace:document_detail", args=[draft.pk]),
        reverse("workspace:document_detail", args=[published.pk]),
        reverse("workspace:interpretation_list"),
        reverse("workspace:interpretation_list") + "?state=published",
        reverse("workspace:interpretation_detail", args=[interpretation.pk]),
        reverse("workspace:password_change"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_for_every_role(login, users, library, role):
    client = login(users[role])
    for url in pages(library):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<main" in response.content.decode()
    drafting = role in DRAFTING
    for name, args in [("workspace:document_create", []), ("workspace:document_edit", [library["draft"].pk]),
                       ("workspace:document_edit", [library["published"].pk]),
                       ("workspace:interpretation_create", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == (200 if drafting else 302), (name, args)
    audit = client.get(reverse("workspace:audit_list"))
    assert audit.status_code == (200 if role in ("office_admin", "platform_admin") else 403)


def test_detail_page_shows_all_metadata_escaped(login, editor, library):
    page = login(editor).get(reverse("workspace:document_detail", args=[library["draft"].pk])).content.decode()
    assert "草稿&lt;b&gt;标题&lt;/b&gt;" in page
    for label in ["索引号", "发文机关", "发文字号", "主题分类", "成文日期", "发布日期", "生效日期", "废止日期", "有效性",
                  "服务对象", "生命周期分类", "主题词", "政策咨询部门", "政策咨询电话", "规范性文件登记号", "公开属性"]:
        assert f"<dt>{label}</dt>" in page
    assert "个人" in page and "上学" in page


def test_document_form_offers_two_level_topics_and_checkboxes(login, editor, library):
    page = login(editor).get(reverse("workspace:document_create")).content.decode()
    assert '<optgroup label="科技、教育">' in page
    assert 'type="checkbox" name="audiences" value="person"' in page
    assert 'type="checkbox" name="life_stages" value="上学"' in page
    assert "<legend>服务对象</legend>" in page


def test_header_shows_name_organisation_and_role(login, editor, other_department):
    membership_grant(user=editor, organisation=other_department, role=Role.REVIEWER)
    page = login(editor).get(reverse("workspace:home")).content.decode()
    assert "测试市教育局·信息员/起草人" in page
    assert "测试市财政局·审核人" in page
    assert 'aria-label="主导航"' in page and 'class="skip-link"' in page


def test_pages_have_no_inline_scripts_or_styles(login, platform_admin, library):
    client = login(platform_admin)
    for url in pages(library) + [reverse("workspace:document_create"), reverse("workspace:audit_list")]:
        page = client.get(url).content.decode()
        # The only script is the workspace's own file (form-error focus); nothing inline (the site's CSP).
        assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/workspace/js/workspace.js" defer>'], url
        assert "style=" not in page and "<style" not in page, url


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("workspace:document_list")).status_code == 200
    return len(ctx.captured_queries)


def test_document_list_query_count_does_not_grow_with_rows(login, department, other_department, editor, office_admin,
                                                          django_assert_max_num_queries):
    client = login(office_admin)
    services.document_create(organisation=department, by=editor, title="文件 0")
    few = _list_queries(client)
    for n in range(1, 25):
        services.document_create(organisation=department, by=None, title=f"文件 {n}",
                                 issuers=[services.IssuerInput(organisation=department),
                                          services.IssuerInput(organisation=other_department),
                                          services.IssuerInput(name="外部机关")])
    many = _list_queries(client)
    assert many == few
    # session, user, role look-ups (organisations_for_user is asked three times), filters, count, page, issuers.
    with django_assert_max_num_queries(20):
        client.get(reverse("workspace:document_list"), {"genre": "notice", "page": 2})


class _Controls(HTMLParser):
    """Collect form controls and the ids that a <label for> names."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)


def test_every_form_control_has_a_label(login, platform_admin, library):
    client = login(platform_admin)
    urls = pages(library) + [
        reverse("workspace:document_create"), reverse("workspace:document_edit", args=[library["published"].pk]),
        reverse("workspace:interpretation_create"), reverse("workspace:audit_list"),
    ]
    for url in urls:
        parser = _Controls()
        parser.feed(client.get(url).content.decode())
        for control in parser.controls:
            assert control.get("id") in parser.labelled or control.get("aria-label"), (url, control)
