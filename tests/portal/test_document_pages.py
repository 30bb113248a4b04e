"""Document and interpretation pages: metadata box, validity banner, history, withdrawn and hidden documents."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error

from gongkai.documents import services
from tests.documents.factories import published_document

from .conftest import doc_url

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_document_url_is_the_index_no_with_its_slash(library):
    url = doc_url(library.current)
    assert "/" in library.current.index_no
    assert url == f"/zhengce/{library.current.index_no}/"


def test_document_page_shows_the_full_metadata_box(client, library):
    html = text(client.get(doc_url(library.current)))
    box = html[html.index('class="meta-box"'):html.index("</section>", html.index('class="meta-box"'))]
    for label in ["索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "生效日期", "废止日期", "有效性",
                  "政策咨询部门", "政策咨询电话"]:
        assert f"<dt>{label}</dt>" in box
    assert library.current.index_no in box
    assert "民政、扶贫、救灾\\社会福利" in box
    assert "测教发〔2024〕12号" in box
    assert "2024年7月21日" in box
    assert "测试市教育局办公室" in box and "0532-12345678" in box
    assert "有效" in box


def test_document_body_is_rendered_as_html_and_meta_tags_are_set(client, library):
    html = text(client.get(doc_url(library.current)))
    assert "<p>一、补贴对象为本市户籍年满八十周岁的老年人。</p>" in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{doc_url(library.current)}">' in html
    assert '<meta property="og:title" content="关于进一步做好养老服务补贴发放工作的通知">' in html
    assert '<meta name="description" content="明确养老服务补贴的对象、标准和发放程序。">' in html


def test_repealed_document_shows_a_banner_linking_to_the_newer_document(client, library):
    html = text(client.get(doc_url(library.old)))
    banner = html[html.index('class="validity-banner'):html.index("</div>", html.index('class="validity-banner'))]
    assert "本文件已废止" in banner
    assert f'href="{doc_url(library.current)}"' in banner
    assert "被废止" in html and "被新文件替代" in html  # lifecycle history with the reason


def test_amended_document_banner_and_the_newer_document_lists_what_it_changed(client, library):
    html = text(client.get(doc_url(library.amended)))
    assert "本文件已被修改" in html and f'href="{doc_url(library.current)}"' in html
    newer = text(client.get(doc_url(library.current)))
    assert "本文件修改或废止的文件" in newer
    assert f'href="{doc_url(library.old)}"' in newer and f'href="{doc_url(library.amended)}"' in newer
    assert "validity-banner" not in newer


def test_document_not_yet_in_force_says_when_it_starts(client, department, editor, reviewer):
    doc = published_document(organisation=department, by=editor, reviewer=reviewer, title="将来施行的通知",
                             effective_on=timezone.localdate() + dt.timedelta(days=10))
    html = text(client.get(doc_url(doc)))
    assert "本文件尚未生效" in html


def test_history_shows_public_events_only(client, library):
    html = text(client.get(doc_url(library.current)))
    history = html[html.index('id="history-heading"'):]
    assert "发布" in history
    for internal in ["起草", "提交审核", "审核通过"]:
        assert internal not in history


def test_interpretation_and_document_link_to_each_other(client, library):
    doc_html = text(client.get(doc_url(library.normative)))
    interp_url = reverse("portal:interpretation", kwargs={"pk": library.interpretation.pk})
    assert f'href="{interp_url}"' in doc_html
    interp_html = text(client.get(interp_url))
    assert f'href="{doc_url(library.normative)}"' in interp_html


def test_draft_interpretation_is_not_public(client, library, editor):
    draft = services.interpretation_create(documents=[library.current], organisation=library.current.organisation,
                                           by=editor, title="尚未发布的解读")
    assert client.get(reverse("portal:interpretation", kwargs={"pk": draft.pk})).status_code == 404
    assert "尚未发布的解读" not in text(client.get(doc_url(library.current)))


def test_withdrawn_document_is_gone_with_date_and_reason_but_no_content(client, library):
    response = client.get(doc_url(library.withdrawn))
    assert response.status_code == 410
    html = text(response)
    assert "该文件已撤回" in html and "内容有误，将重新发布" in html
    assert f"{timezone.localdate().year}年" in html
    assert "托管安排" not in html  # the body is not shown
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("which", ["on_request", "draft"])
def test_documents_never_published_are_not_found_and_not_confirmed(client, library, which):
    document = getattr(library, which)
    response = client.get(doc_url(document))
    assert response.status_code == 404
    assert document.title not in text(response)


def test_not_proactive_document_withdrawn_stays_hidden(client, library, reviewer):
    services.document_withdraw(document=library.on_request, by=reviewer, reason="不公开")
    assert client.get(doc_url(library.on_request)).status_code == 404


def test_print_view_has_metadata_body_and_print_stylesheet(client, library):
    html = text(client.get(reverse("portal:document_print", kwargs={"index_no": library.current.index_no})))
    assert "portal/css/print.css" in html and 'class="meta-box"' in html and "一、补贴对象" in html
    assert '<meta name="robots" content="noindex">' in html
    assert client.get(reverse("portal:document_print", kwargs={"index_no": library.withdrawn.index_no})).status_code == 404


def test_attachments_download_only_while_the_document_is_public(client, library, editor, reviewer):
    attachment = services.attachment_add(document=library.current, by=editor, file=ContentFile(b"%PDF-1.4 test", name="x"),
                                         name="补贴标准.pdf", content_type="application/pdf")
    html = text(client.get(doc_url(library.current)))
    url = reverse("portal:attachment", kwargs={"token": attachment.token})
    assert f'href="{url}"' in html and "补贴标准.pdf" in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment;" in response["Content-Disposition"]
    services.document_withdraw(document=library.current, by=reviewer, reason="重发")
    assert client.get(url).status_code == 404


def test_friendly_404_without_stack_trace(client, library):
    response = client.get("/zhengce/NO-SUCH/2020-1/")
    html = text(response)
    assert response.status_code == 404
    assert "您访问的页面不存在" in html and "Traceback" not in html and 'role="search"' in html


def test_friendly_500_page(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务暂时出现问题" in html and "Traceback" not in html
