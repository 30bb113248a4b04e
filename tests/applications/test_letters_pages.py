"""The staff pages for letters, fees, follow-up, clusters and statistics: access and the main flows."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.applications.letter_models import FeeNotice, Letter

from .conftest import APPLICANT, determine, new_case
from .test_letters import configured  # noqa: F401


@pytest.fixture
def decided(configured, case, handler):  # noqa: F811
    return determine(case, handler, "2026-10-20", outcome="partial", withheld_parts=[
        {"part": "银行账号", "reason": "涉及商业秘密", "reason_code": "withheld_third_party"}])


def test_handler_drafts_edits_and_sends_a_reply_then_downloads_it(client, decided, handler):
    client.force_login(handler)
    page = client.get(reverse("workspace:letters_case", args=[decided.pk]))
    assert page.status_code == 200 and "生成文书草稿" in page.content.decode()
    response = client.post(reverse("workspace:letters_case", args=[decided.pk]), {"kind": "reply"})
    letter = Letter.objects.get()
    assert response.url == reverse("workspace:letter_edit", args=[letter.pk])
    page = client.get(response.url).content.decode()
    assert "第二十三条第一款第（四）项" in page and APPLICANT["name"] in page
    preview = client.get(reverse("workspace:letter_download", args=[letter.pk, "preview"]))
    assert preview["Content-Type"] == "application/pdf"
    data = {f: getattr(letter, f) for f in ("title", "recipient", "opening", "remedy", "closing", "signature")}
    data.update(decision=letter.decision + "\n附件：清单", action="send")
    client.post(reverse("workspace:letter_edit", args=[letter.pk]), data)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and "附件：清单" in letter.decision
    pdf = client.get(reverse("workspace:letter_download", args=[letter.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    # a sent letter is not changed by a late form
    client.post(reverse("workspace:letter_edit", args=[letter.pk]), {**data, "decision": "改", "action": "save"})
    letter.refresh_from_db()
    assert letter.decision != "改"


def test_pages_are_for_handlers_of_the_case_only(client, decided, editor, other_handler):
    for user, status in ((editor, 404), (other_handler, 404)):
        client.force_login(user)
        assert client.get(reverse("workspace:letters_case", args=[decided.pk])).status_code == status
        assert client.get(reverse("workspace:letters_fees", args=[decided.pk])).status_code == status
    client.logout()
    assert client.get(reverse("workspace:letters_case", args=[decided.pk])).status_code == 302
    client.force_login(editor)
    assert client.get(reverse("workspace:letters_statistics")).status_code == 403


def test_fee_page_quotes_issues_and_records_payment(client, configured, case, handler):  # noqa: F811
    client.force_login(handler)
    page = client.get(reverse("workspace:letters_fees", args=[case.pk]) + "?pages=119").content.decode()
    assert "按量计收：1080 元" in page and "按件计收：0 元" in page
    response = client.post(reverse("workspace:letters_fees", args=[case.pk]), {
        "action": "issue", "basis": "by_volume", "pages": 119, "issued_on": "2026-10-09",
        "notice_received_on": "2026-10-12"})
    notice = FeeNotice.objects.get()
    assert response.url == reverse("workspace:letter_edit", args=[notice.letter_id])
    client.post(reverse("workspace:letters_fees", args=[case.pk]), {"action": "paid", "paid_on": "2026-10-15",
                                                                    "receipt_no": "NT9"})
    notice.refresh_from_db()
    assert notice.paid_on == dt.date(2026, 10, 15)


def test_follow_up_form(client, decided, handler):
    client.force_login(handler)
    client.post(reverse("workspace:letters_follow_up", args=[decided.pk]), {
        "visited_on": "2026-11-20", "method": "phone", "result": "satisfied", "note": ""})
    assert "电话回访" in client.get(reverse("workspace:letters_case", args=[decided.pk])).content.decode()


def test_clusters_and_statistics_pages(client, department, handler, office_admin):
    for i, text in enumerate(["请公开人民路片区房屋征收补偿方案", "申请公开人民路片区房屋征收补偿方案。"]):
        new_case(department, handler, description=text,
                 applicant=dict(APPLICANT, id_number=["11010519491231002X", "110105198001010016"][i]))
    client.force_login(office_admin)
    page = client.get(reverse("workspace:letters_clusters")).content.decode()
    assert "人民路片区房屋征收补偿方案" in page and "2 名申请人" in page
    assert APPLICANT["name"] not in page
    client.post(reverse("workspace:letters_clusters"), {"organisation": department.pk,
                                                         "application": list(department.applications.values_list(
                                                             "pk", flat=True))})
    from gongkai.documents.models import Document

    assert Document.objects.filter(title__contains="人民路片区").exists()
    stats = client.get(reverse("workspace:letters_statistics")).content.decode()
    # The chart is drawn on the server: the page's only script is the workspace's own (focus of form errors).
    assert "<svg" in stats and "每月收到申请数" in stats
    assert re.findall(r"<script[^>]*>", stats) == ['<script src="/static/workspace/js/workspace.js" defer>']
    assert APPLICANT["name"] not in stats


def test_letter_attachments_are_listed_in_the_letter_and_delivered_on_the_tracking_page(client, configured, case,  # noqa: F811
                                                                                       handler):
    """Issue 17.11: the reply says 见附件 — the disclosed information goes with it, to the applicant."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.applications import letters
    from gongkai.portal.views_applications import SESSION_ACCESS

    decided = determine(case, handler, "2026-10-20", outcome="disclosed")
    letter = letters.letter_draft(application=decided, kind="reply", by=handler)
    client.force_login(handler)
    plain = "2025年行政事业性收费项目清单：……".encode() * 100
    response = client.post(reverse("workspace:letter_attach", args=[letter.pk]),
                           {"title": "2025年收费项目清单", "file": SimpleUploadedFile("清单.pdf", b"%PDF" + plain)})
    assert response.status_code == 302
    attachment = letter.attachments.get()
    with attachment.file.open("rb") as stored:
        assert plain[:40] not in stored.read()  # encrypted at rest
    assert "附件：2025年收费项目清单" in letters.letter_plain_text(letter)
    letter = letters.letter_send(letter=letter, by=handler)
    with pytest.raises(ValidationError, match="已发出"):
        letters.letter_attach(letter=letter, by=handler, title="迟到的附件",
                              file=SimpleUploadedFile("x.pdf", b"%PDF x"))
    client.logout()
    session = client.session
    session[SESSION_ACCESS] = [decided.tracking_code]
    session.save()
    status = client.get(reverse("applications_portal:status", args=[decided.tracking_code])).content.decode()
    url = reverse("applications_portal:letter_attachment", args=[decided.tracking_code, letter.pk, attachment.pk])
    assert url in status and "2025年收费项目清单" in status
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF" + plain
