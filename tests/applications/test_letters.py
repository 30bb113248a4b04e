"""Reply letters and notices: filled from the case, the remedy clause of RULES §9, sending freezes them."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document as Docx

from gongkai.applications import letters
from gongkai.applications.letter_models import Letter
from gongkai.applications.outcomes import OUTCOMES
from gongkai.applications.services import application_record_event
from gongkai.core.models import AuditEvent
from tests.core.test_pdf_fonts import _font_files

from .conftest import APPLICANT, new_case
from .conftest import determine as determine_through_the_door

PARTS = [
    {"part": "收费项目清单中第三方企业的银行账号", "reason": "涉及第三方商业秘密", "reason_code": "withheld_third_party"},
    {"part": "内部审批流转记录", "reason": "属于内部事务信息", "reason_code": "withheld_internal_affairs"},
]


@pytest.fixture
def configured(department):
    department.reconsideration_body = "测试市人民政府"
    department.court = "测试市人民法院"
    department.disclosure_office_phone = "0000-12345678"
    department.save()
    return department


def determine(case, handler, **fields):
    return determine_through_the_door(case, handler, dt.date(2026, 10, 20), **fields)


def test_date_in_full_without_leading_zeros():
    assert letters.date_cn(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert letters.date_cn("2026-10-20") == "2026年10月20日"


def test_partial_disclosure_reply_states_each_withheld_part_and_reconsideration_first(configured, case, handler):
    determine(case, handler, outcome="partial", withheld_parts=PARTS)
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert letter.title == "政府信息公开申请答复告知书"
    assert letter.recipient == f"{APPLICANT['name']}："
    assert "本机关于2026年9月28日收到您提出的政府信息公开申请" in letter.opening
    assert "第三十七条" in letter.decision
    assert "（一）收费项目清单中第三方企业的银行账号：依据《中华人民共和国政府信息公开条例》第十五条、第三十二条的规定，" \
        "涉及第三方商业秘密，不予公开。" in letter.decision
    assert "（二）内部审批流转记录：依据《中华人民共和国政府信息公开条例》第十六条第一款的规定" in letter.decision
    assert "六十日内向测试市人民政府申请行政复议" in letter.remedy
    assert "第二十三条第一款第（四）项" in letter.remedy and "应当先向行政复议机关申请行政复议" in letter.remedy
    assert "六个月内" not in letter.remedy  # no direct lawsuit for withholding


def test_withheld_reply_names_the_article_and_reason(configured, case, handler):
    determine(case, handler, outcome="withheld_process_info", reason="属于讨论记录等过程性信息")
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert "属于讨论记录等过程性信息。根据《中华人民共和国政府信息公开条例》第十六条第二款及第三十六条第（三）项的规定，" \
        "本机关决定不予公开。" in letter.decision
    assert "应当先向行政复议机关申请行政复议" in letter.remedy


@pytest.mark.parametrize(("fields", "expected"), [
    ({"outcome": "disclosed"}, "第三十六条第（二）项"),
    ({"outcome": "disclosed", "reply_type": "already_public", "where": "本局门户网站“法定主动公开内容”栏目"},
     "第三十六条第（一）项"),
    ({"outcome": "unavailable_not_held"}, "该政府信息不存在"),
    ({"outcome": "unavailable_not_held", "reply_type": "not_responsible", "responsible_agency": "测试市财政局"},
     "该政府信息由测试市财政局负责公开"),
    ({"outcome": "not_handled_repeat"}, "不予重复处理"),
])
def test_other_replies_offer_reconsideration_or_litigation(configured, case, handler, fields, expected):
    determine(case, handler, **fields)
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert expected in letter.decision
    assert letter.remedy == ("如您对本答复不服，可以自收到本告知书之日起六十日内向测试市人民政府申请行政复议，"
                             "也可以自收到本告知书之日起六个月内向测试市人民法院提起行政诉讼。")


def test_company_is_addressed_as_the_organisation(configured, department, handler):
    case = new_case(department, handler, applicant_kind="enterprise",
                    applicant={"name": "测试科技有限公司", "uscc": "91110000600037341L", "phone": "010-1"})
    determine(case, handler, outcome="disclosed")
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert letter.recipient == "测试科技有限公司：" and "贵单位提出" in letter.opening
    assert letter.remedy.startswith("如贵单位对本答复不服")


def test_reply_needs_a_determination(configured, case, handler):
    with pytest.raises(ValidationError, match="尚未作出答复决定"):
        letters.letter_draft(application=case, kind="reply", by=handler)
    draft = letters.letter_draft(application=case, kind="reply", by=handler, determination={"outcome": "disclosed"})
    assert "第三十六条第（二）项" in draft.decision


def test_send_numbers_renders_hashes_and_freezes(configured, case, handler):
    determine(case, handler, outcome="partial", withheld_parts=PARTS)
    draft = letters.letter_draft(application=case, kind="reply", by=handler)
    draft = letters.letter_update(letter=draft, by=handler, decision=draft.decision + "\n附件：收费项目清单（部分）")
    sent = letters.letter_send(letter=draft, by=handler, dated_on=dt.date(2026, 10, 20))
    assert sent.status == Letter.Status.SENT and sent.number == "测试市教育局依申〔2026〕1号"
    assert sent.sent_by == handler and sent.sent_at is not None
    assert bytes(sent.pdf).startswith(b"%PDF")
    assert hashlib.sha256(bytes(sent.pdf)).hexdigest() == sent.pdf_sha256
    assert hashlib.sha256(bytes(sent.docx)).hexdigest() == sent.docx_sha256
    assert hashlib.sha256(letters.letter_plain_text(sent).encode()).hexdigest() == sent.text_sha256
    assert "2026年10月20日" in letters.letter_plain_text(sent)
    # the DOCX carries the official fonts and the text as edited
    doc = Docx(io.BytesIO(bytes(sent.docx)))
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "政府信息公开申请答复告知书"
    title_fonts = paragraphs[0].runs[0]._element.rPr.rFonts
    assert title_fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    assert paragraphs[1].text == "测试市教育局依申〔2026〕1号"
    assert paragraphs[3].runs[0].font.name == "仿宋_GB2312" and paragraphs[3].runs[0].font.size.pt == 16
    assert "附件：收费项目清单（部分）" in [p.text for p in paragraphs]
    assert paragraphs[-1].text == "2026年10月20日"
    # immutable
    with pytest.raises(ValidationError, match="已发出的文书不得修改"):
        letters.letter_update(letter=sent, by=handler, decision="改")
    sent.decision = "改"
    with pytest.raises(ValidationError, match="不得修改"):
        sent.save()
    with pytest.raises(ValidationError, match="不得删除"):
        sent.delete()
    with pytest.raises(ValidationError, match="已发出"):
        letters.letter_send(letter=sent, by=handler)
    # numbers continue without gaps
    second = letters.letter_send(letter=letters.letter_draft(application=case, kind="reply", by=handler), by=handler,
                                 dated_on=dt.date(2026, 10, 21))
    assert second.number == "测试市教育局依申〔2026〕2号"


def test_audit_of_sending_has_no_personal_data(configured, case, handler):
    determine(case, handler, outcome="disclosed")
    letters.letter_send(letter=letters.letter_draft(application=case, kind="reply", by=handler), by=handler)
    dumped = str(list(AuditEvent.objects.values("before", "after", "note", "object_repr")))
    for value in APPLICANT.values():
        assert value not in dumped


def test_reply_cannot_be_sent_without_the_configured_remedy_bodies(case, handler):
    determine(case, handler, outcome="disclosed")
    draft = letters.letter_draft(application=case, kind="reply", by=handler)
    assert "【行政复议机关（请在机关设置中配置）】" in draft.remedy
    with pytest.raises(ValidationError) as exc:
        letters.letter_send(letter=draft, by=handler)
    assert "尚未配置行政复议机关" in str(exc.value) and "待填写" in str(exc.value)


def test_placeholders_block_sending(configured, case, handler):
    determine(case, handler, outcome="disclosed", reply_type="already_public")
    draft = letters.letter_draft(application=case, kind="reply", by=handler)
    assert "【公开的网址或查阅地点】" in draft.decision
    with pytest.raises(ValidationError, match="待填写"):
        letters.letter_send(letter=draft, by=handler)


def test_only_handlers_draft(configured, case, editor, handler):
    determine(case, handler, outcome="disclosed")
    with pytest.raises(PermissionDenied):
        letters.letter_draft(application=case, kind="reply", by=editor)


def test_supplement_notice(configured, case, handler):
    application_record_event(application=case, by=handler, type="supplement_requested", occurred_on="2026-09-30",
                             fields={"items": "所需信息的年度和文件名称", "due_on": "2026-10-20"})
    letter = letters.letter_draft(application=case, kind="supplement", by=handler)
    assert letter.title == "补正告知书"
    assert "第三十条" in letter.decision and "所需信息的年度和文件名称" in letter.decision
    assert "请于2026年10月20日前" in letter.decision and "视为放弃申请" in letter.decision
    assert letters.letter_send(letter=letter, by=handler).status == Letter.Status.SENT


def test_extension_notice_gives_the_new_due_date(configured, case, handler, office_admin):
    case = application_record_event(application=case, by=handler, type="extension", occurred_on="2026-10-20",
                                    fields={"days": 20, "approver_id": office_admin.pk, "notice_sent_on": "2026-10-20",
                                            "reason": "申请公开的信息涉及多个年度、需逐件检索"})
    letter = letters.letter_draft(application=case, kind="extension", by=handler)
    assert "因申请公开的信息涉及多个年度、需逐件检索，本机关不能在规定期限内作出答复" in letter.decision
    assert "第三十三条第二款" in letter.decision and "延长20个工作日" in letter.decision
    assert letters.date_cn(case.due_on) + "前作出答复" in letter.decision


@pytest.mark.parametrize(("kind", "article", "silence"), [
    ("third_party", "第三十二条", "由本机关依照条例的规定决定是否公开"),
    ("agency", "第三十四条", "视为同意公开"),
])
def test_consultation_letter_goes_to_the_party_and_never_names_the_applicant(configured, case, handler, kind, article,
                                                                              silence):
    application_record_event(application=case, by=handler, type="consultation_started", occurred_on="2026-10-09",
                             fields={"kind": kind, "party": "测试建设有限公司"})
    letter = letters.letter_draft(application=case, kind=f"consultation_{kind}", by=handler)
    assert letter.recipient == "测试建设有限公司："
    assert article in letter.decision and "15个工作日内" in letter.decision and silence in letter.decision
    text = letters.letter_plain_text(letter)
    for value in APPLICANT.values():
        assert value not in text
    assert not letters.letters_sent_to_applicant(application=case).exists()


def test_pdf_line_breaking_follows_the_chinese_rules():
    from gongkai.applications.letter_render import cjk_lines

    text = "经审查，您申请获取的政府信息中，部分内容可以公开，部分内容不予公开。根据《中华人民共和国政府信息公开条例》" * 4
    for width in range(200, 440, 7):
        lines = cjk_lines(text, width - 32, width)
        assert "".join(lines) == text
        assert not any(line[0] in "，。：；）》”" for line in lines[1:])
        assert not any(line[-1] in "（《“" for line in lines)


def test_pdf_line_breaking_keeps_numbers_whole():
    from gongkai.applications.letter_render import cjk_lines

    text = "根据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，联系电话0000-12345678。" * 3
    for width in range(200, 440, 3):
        lines = cjk_lines(text, width - 32, width)
        assert "".join(lines) == text
        assert not any(line[0].isdigit() and prev[-1].isdigit() for prev, line in zip(lines, lines[1:], strict=False))


def test_lapsed_supplement_gets_a_termination_notice(configured, case, handler):
    application_record_event(application=case, by=handler, type="supplement_requested", occurred_on="2026-09-30",
                             fields={"items": "所需信息的年度", "due_on": "2026-10-20"})
    application_record_event(application=case, by=handler, type="supplement_lapsed", occurred_on="2026-10-21")
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert "无正当理由逾期未补正" in letter.decision and "第三十条" in letter.decision
    assert "视为放弃申请，本机关不再处理该政府信息公开申请" in letter.decision


def test_letter_pdf_embeds_a_cjk_font_with_a_heading_and_a_body_face(configured, case, handler):
    """17.11: GB/T 9704 letters carry their fonts (TrueType streams /FontFile2), not the unembedded STSong."""
    determine(case, handler, outcome="disclosed")
    sent = letters.letter_send(letter=letters.letter_draft(application=case, kind="reply", by=handler), by=handler,
                               dated_on=dt.date(2026, 10, 20))
    files = _font_files(bytes(sent.pdf))
    assert b"STSong-Light" not in bytes(sent.pdf)
    assert any(name.endswith("+GongkaiBody") for name in files) and any(name.endswith("+GongkaiHeading")
                                                                         for name in files), files
    # every font but ReportLab's initial Helvetica (no glyph drawn in it) is embedded TrueType
    assert {kind for name, kind in files.items() if name != "/Helvetica"} == {"/FontFile2"}, files


@pytest.mark.parametrize("outcome", sorted(OUTCOMES))
def test_remedy_clause_per_outcome_and_inquiry_referral_gets_the_ordinary_clause(department, outcome):
    """Issue 14 §2.7: 复议前置 only for a decision to withhold (不予公开, 部分公开); the 行政查询 referral
    (第三十六条第（七）项) and every other outcome give the choice of reconsideration or litigation."""
    clause = letters.remedy_clause(organisation=department, outcome=outcome)
    first = OUTCOMES[outcome].group in ("withheld", "partial") and outcome != "withheld_administrative_inquiry"
    assert ("应当先向行政复议机关申请行政复议" in clause) is first
    assert ("也可以自收到本告知书之日起六个月内" in clause) is (not first)


def test_determination_free_text_reaches_the_letter(configured, case, handler):
    """Issue 17.11: what the handler wrote as 答复内容 is in the drafted reply."""
    determine(case, handler, outcome="disclosed", text="现将《2025年收费项目清单》电子版发送至您的电子邮箱")
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert "现将《2025年收费项目清单》电子版发送至您的电子邮箱" in letter.decision
    assert "第三十六条第（二）项" in letter.decision


def test_determination_free_text_is_added_after_a_withholding_reason(configured, case, handler):
    determine(case, handler, outcome="withheld_process_info", reason="属于讨论记录等过程性信息",
              text="该事项的最终决定公开后，您可以在本机关网站查阅。")
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert letter.decision.endswith("该事项的最终决定公开后，您可以在本机关网站查阅。")


@pytest.mark.parametrize(("outcome", "reply_type", "cited"), [
    ("disclosed", "", "第三十六条第（二）项"),
    ("disclosed", "already_public", "第三十六条第（一）项"),
    ("unavailable_not_held", "", "第三十六条第（四）项"),
    ("withheld_process_info", "", "第十六条第二款及第三十六条第（三）项"),
    ("partial", "", "第三十七条"),
])
def test_determination_citation_is_one_source_for_the_letter_and_the_reply_page(configured, case, handler, client,
                                                                               outcome, reply_type, cited):
    """Issue 17.11: the public reply page and the letter cite the same article (`determination_basis`)."""
    from gongkai.applications.outcomes import determination_basis

    fields = {"outcome": outcome, "reason": "属于讨论记录", "where": "本机关网站",
              "withheld_parts": [{"part": "电话", "reason": "个人隐私"}]}
    if reply_type:
        fields["reply_type"] = reply_type
    determine(case, handler, **fields)
    assert determination_basis(outcome=outcome, reply_type=reply_type) == cited
    letter = letters.letter_draft(application=case, kind="reply", by=handler)
    assert cited in letter.decision
    from django.urls import reverse

    from gongkai.portal.views_applications import SESSION_ACCESS

    session = client.session
    session[SESSION_ACCESS] = [case.tracking_code]
    session.save()
    page = client.get(reverse("applications_portal:reply", args=[case.tracking_code])).content.decode()
    assert f"《中华人民共和国政府信息公开条例》{cited}" in page
