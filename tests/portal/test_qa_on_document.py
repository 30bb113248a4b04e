"""The document page lists the published Q&A entries that cite it (issue 20)."""

import pytest

from gongkai.qa import services as qa

from .conftest import doc_url

pytestmark = pytest.mark.django_db


def test_document_page_lists_the_qa_entries_citing_it(client, library, reviewer):
    entry = qa.qa_entry_save(question="养老服务补贴发给哪些人", answer="补贴对象为本市户籍的困难老年人。",
                             department="民政局", sources=[library.current])
    draft = qa.qa_entry_save(question="尚未审核的问题", answer="尚未审核的答复。", sources=[library.current])
    html = client.get(doc_url(library.current)).content.decode()
    assert "相关政策问答" not in html
    qa.qa_entry_publish(entry=entry, by=reviewer)
    html = client.get(doc_url(library.current)).content.decode()
    assert "相关政策问答" in html and "养老服务补贴发给哪些人" in html and draft.question not in html
