"""Issue 15.3 (control characters at the door, feeds robust to what is stored) and 15.10 (an invalid
UTF-8 byte is reported on its own line and the rest of the file is imported)."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.core.textclean import data_clean, text_clean
from gongkai.documents.importers import documents_import_file
from gongkai.documents.models import Document
from tests.documents.factories import published_document
from tests.security.test_tracking_secret import form_key, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("raw", "clean"), [
    ("通知\x00标题", "通知标题"),
    ("第一行\x0b第二行", "第一行\n第二行"),  # Word's manual line break
    ("a\x01b\x1fc\x7fd\x85e", "abcd\ne"),
    ("表格\t保留\n换行\r\n", "表格\t保留\n换行\r\n"),
    ("坏\udcff字节", "坏字节"),  # what an invalid UTF-8 byte becomes under surrogateescape
    ("干净的文字", "干净的文字"),
])
def test_text_clean_keeps_tab_and_newlines_and_removes_other_controls(raw, clean):
    assert text_clean(raw) == clean


def test_data_clean_reaches_every_string_of_a_json_value():
    assert data_clean({"t\x01": ["a\x02", {"b": "c\x03"}], "n": 3}) == {"t": ["a", {"b": "c"}], "n": 3}


def write_lines(path, lines: list[bytes]):
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def line(n, **fields):
    base = {"external_id": f"cc-{n}", "organisation": "TEST00002", "title": f"关于第{n}项工作的通知",
            "published_at": "2024-03-05", "body_text": f"第{n}项工作正文。"}
    return json.dumps({**base, **fields}, ensure_ascii=False).encode()


def test_import_removes_control_characters_from_titles(tmp_path, department):
    path = write_lines(tmp_path / "a.jsonl", [line(1, title="关于\x00第一项\x01工作的\x0b通知")])
    report = documents_import_file(path=path)
    assert report.created == 1
    assert Document.objects.get().title in {"关于第一项工作的\n通知", "关于第一项工作的 通知"}


def test_an_invalid_utf8_byte_is_reported_on_its_line_and_the_other_lines_import(tmp_path, department):
    lines = [line(n) for n in range(1, 6)] + [line(6).replace("工作".encode(), b"\xff\xfe")] + [line(7), line(8)]
    report = documents_import_file(path=write_lines(tmp_path / "a.jsonl", lines))
    assert [n for n, _ in report.errors] == [6]
    assert "UTF-8" in report.errors[0][1]
    assert report.created == 7


def test_feeds_and_pages_survive_control_characters_already_stored(client, department, editor, reviewer, committed):
    document = committed(published_document, organisation=department, by=editor, reviewer=reviewer,
                         title="关于做好养老服务补贴发放工作的通知", at=timezone.now())
    # Stored before the door existed (an old import): written straight to the row.
    Document.objects.filter(pk=document.pk).update(title="关于\x1f做好\x01养老\x0b服务补贴发放工作的通知",  # PostgreSQL cannot store NUL
                                                   summary="摘要\x02")
    for url in (reverse("portal:feed_latest"), reverse("portal:feed_organisation", args=[department.code])):
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)  # well-formed XML 1.0
        titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any("养老" in (t or "") for t in titles)
    assert client.get(reverse("portal:document", args=[document.index_no])).status_code == 200


@pytest.mark.parametrize("q", ["%01", "%00", "养老%0b补贴", "%7f"])
def test_search_feed_and_page_with_control_characters_in_the_query(client, department, q):
    response = client.get(reverse("portal:feed_search") + f"?q={q}")
    assert response.status_code == 200
    ET.fromstring(response.content)
    assert client.get(reverse("portal:library") + f"?q={q}").status_code == 200
    assert client.get(f"/api/v1/documents?q={q}").status_code == 200


def test_form_posts_are_cleaned_before_the_view(client, department):
    key = form_key(client, department)
    data = person_data(key)
    data["description"] = "请公开\x00收费\x0b清单\x01"
    response = client.post(reverse("applications_portal:apply", args=[department.code]), data)
    assert response.status_code == 302
    assert Application.objects.get().description == "请公开收费\n清单"
