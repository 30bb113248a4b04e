"""仔细校对: the workspace page that runs the checks at the thorough sensitivity, stores nothing."""

import pytest
from django.urls import reverse

from gongkai.compliance.models import Finding
from gongkai.documents import services as documents

pytestmark = [pytest.mark.data, pytest.mark.django_db]

SENTENCE = "营造建设用地使用权出组环境。"  # half A of the development file; the precise level misses 组→租


def test_the_page_lists_the_thorough_suggestions_and_stores_nothing(client, editor, with_typo_model):
    client.force_login(editor)
    url = reverse("workspace:compliance_proofread")
    assert "仔细校对" in client.get(url).content.decode()
    page = client.post(url, {"text": SENTENCE}).content.decode()
    assert "校对结果：1 处" in page
    assert "出<mark>组</mark>环境" in page and "<td>租</td>" in page
    assert not Finding.objects.exists()


def test_a_document_body_is_put_in_the_form_from_its_page(client, department, editor):
    document = documents.document_create(organisation=department, by=editor, title="关于用地的通知",
                                         body="<p>营造建设用地使用权出组环境。</p>")
    client.force_login(editor)
    detail = client.get(reverse("workspace:document_detail", args=[document.pk])).content.decode()
    link = f'{reverse("workspace:compliance_proofread")}?document={document.pk}'
    assert link in detail
    form = client.get(link).content.decode()
    assert SENTENCE in form and "<p>" not in form.split("<textarea")[1].split("</textarea>")[0]


def test_an_empty_submission_is_an_error_with_the_title_saying_so(client, editor):
    client.force_login(editor)
    page = client.post(reverse("workspace:compliance_proofread"), {"text": ""}).content.decode()
    assert "<title>错误：仔细校对" in page
    assert 'role="alert"' in page


def test_another_organisations_document_is_not_read(client, other_department, other_editor, editor):
    document = documents.document_create(organisation=other_department, by=other_editor, title="财政局内部草稿",
                                         body="<p>内部草稿正文不应出现</p>")
    client.force_login(editor)
    page = client.get(f'{reverse("workspace:compliance_proofread")}?document={document.pk}').content.decode()
    assert "内部草稿正文不应出现" not in page
