"""Attachments are checked like the body: the spreadsheet of recipients with ID numbers is the classic leak."""

import io

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from gongkai.compliance import extract, services
from gongkai.compliance.models import Finding
from gongkai.core.pdf_fonts import register_fonts
from gongkai.documents import services as documents

pytestmark = pytest.mark.django_db
ID = "321302198503174311"


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "补助名单"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def attach(document, editor, name, data):
    return documents.attachment_add(document=document, by=editor, file=ContentFile(data, name=name), name=name)


@pytest.fixture
def notice(department, editor):
    return documents.document_create(organisation=department, by=editor, title="关于2026年临时救助发放情况的公示",
                                     body="<p>现将发放名单公示如下（见附件）。</p>")


def test_spreadsheet_with_names_and_id_numbers_is_found_with_sheet_and_cell(notice, editor):
    attach(notice, editor, "名单.xlsx", xlsx_bytes([["序号", "姓名", "身份证号", "金额"], [1, "张三", ID, 800]]))
    findings = services.item_check(item=notice)
    found = [f for f in findings if f.field == "attachment"]
    assert [(f.rule, f.location) for f in found] == [("name_with_id_number", "名单.xlsx 补助名单!B2")]
    assert found[0].severity == "severe" and "张*" in found[0].suggestion


def test_a_leaking_attachment_blocks_publication_like_the_body(notice, editor, settings):
    settings.COMPLIANCE_REVIEW_REQUIRED = False
    attach(notice, editor, "名单.csv", f"姓名,身份证号\n李四,{ID}\n".encode("gb18030"))
    with pytest.raises(ValidationError) as raised:
        services.publication_gate(document=notice)
    assert "附件（名单.csv" in str(raised.value)


def test_word_and_pdf_attachments_are_read_with_paragraph_and_page(notice, editor):
    word = docx.Document()
    word.add_paragraph("申请人联系电话：13812345678")
    out = io.BytesIO()
    word.save(out)
    attach(notice, editor, "说明.docx", out.getvalue())
    fonts = register_fonts()
    pdf = io.BytesIO()
    page = canvas.Canvas(pdf, pagesize=A4)
    page.setFont(fonts.body, 12)
    page.drawString(72, 720, "第一页没有个人信息。")
    page.showPage()
    page.setFont(fonts.body, 12)
    page.drawString(72, 720, f"身份证号码{ID}")
    page.save()
    attach(notice, editor, "决定书.pdf", pdf.getvalue())
    services.item_check(item=notice)
    places = sorted(Finding.objects.filter(field="attachment").values_list("rule", "location"))
    assert places == [("id_number", "决定书.pdf 第2页"), ("mobile", "说明.docx 第1段")]


def test_a_damaged_file_is_reported_as_not_checked(notice, editor):
    attach(notice, editor, "坏文件.xlsx", b"PK\x03\x04 not really a workbook")
    services.item_check(item=notice)
    finding = Finding.objects.get(field="attachment")
    assert finding.rule == "attachment_unreadable" and "未能检查" in finding.message


def test_fixing_the_attachment_closes_its_finding(notice, editor):
    attachment = attach(notice, editor, "名单.xlsx", xlsx_bytes([["张三", ID]]))
    services.item_check(item=notice)
    assert Finding.objects.filter(field="attachment", status="open").count() == 1
    attachment.file.save("upload", ContentFile(xlsx_bytes([["张*", "32*************311"]])), save=True)
    services.item_check(item=notice)
    assert Finding.objects.get(field="attachment").status == "fixed"


def test_gbk_csv_is_decoded_and_cells_named():
    data = "姓名,手机\n王五,13912345678\n".encode("gb18030")
    pieces = list(extract.pieces(io.BytesIO(data), ".csv"))
    assert pieces[1].text == "王五\t13912345678" and pieces[1].place(3) == "B2"


def test_a_list_leaking_in_every_row_is_listed_up_to_the_cap_and_counted_beyond_it(notice, editor, monkeypatch):
    monkeypatch.setattr(services, "ATTACHMENT_HITS_PER_RULE", 20)
    attach(notice, editor, "名单.xlsx", xlsx_bytes([["序号", "姓名", "身份证号"]] + [[n, "张三", ID] for n in range(1, 51)]))
    found = [f for f in services.item_check(item=notice) if f.field == "attachment"]
    listed = [f for f in found if "!" in f.location]
    assert sorted(f.location for f in listed) == sorted(f"名单.xlsx 补助名单!B{row}" for row in range(2, 22))
    summary = [f for f in found if "!" not in f.location]
    assert len(summary) == 1 and summary[0].rule == "name_with_id_number" and summary[0].severity == "severe"
    assert "另有 30 处" in summary[0].message
