"""Letters of a disclosure application: drafting from the case, editing, sending, unified replies.

Draft (`letter_draft`) → edit (`letter_update`) → send (`letter_send`). A draft is filled from the case
and its events: the applicant's name, the receipt date, the information sought, the determination
with its legal basis and, per withheld part, the reasons (第三十六条、第三十七条), and the remedy clause
(RULES §9). Sending numbers the letter, renders DOCX and PDF, stores both with their SHA-256 hashes
and freezes it. Text that staff must still complete is marked 【…】; a letter with such a mark, or a
reply whose organisation has no reconsideration body or court configured, cannot be sent.

Unified replies (统一答复口径, `unified_reply_candidates`): earlier sent replies of the organisation to
requests for the same information (similarity ≥ `similarity.UNIFIED_THRESHOLD`) are offered, and a
draft may take its 答复内容 from one of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.models import Organisation, User
from gongkai.core.services import audit_record

from . import similarity
from .dates import date_cn
from .fees import BASIS_TEXT, STANDARD_TEXT
from .letter_models import LETTER_KINDS, FeeNotice, Letter, LetterNumberCounter
from .letter_render import letter_blocks, render_docx, render_pdf
from .models import Application, ApplicationEvent
from .outcomes import OUTCOMES, REFERRAL_OUTCOMES, REPLY_TYPE_ARTICLES, determination_basis
from .selectors import application_may_handle

REGULATION = "《中华人民共和国政府信息公开条例》"
TODO = "【"  # marks text staff must complete before sending
EDITABLE = ("title", "recipient", "opening", "decision", "remedy", "closing", "signature")
DEFAULT_NUMBER_PATTERN = "{abbr}依申〔{year}〕{n}号"
DEFAULT_PAYMENT_INSTRUCTIONS = "【请填写缴费方式：非税收入缴款账户、缴费码或缴费地点】"


def _require(by: User | None, application: Application) -> None:
    if by is not None and not application_may_handle(user=by, application=application):
        raise PermissionDenied("您不是该机关的依申请公开办理人员。")


def _last_event(application: Application, type: str) -> ApplicationEvent | None:
    return application.events.filter(type=type).order_by("-seq").first()


def _request(application: Application) -> str:
    text = application.info_title or application.description
    return text.strip().rstrip("。")


def _you(application: Application) -> str:
    return "贵单位" if application.is_legal_person else "您"


def _opening(application: Application) -> str:
    text = (f"本机关于{date_cn(application.received_on)}收到{_you(application)}提出的政府信息公开申请，"
            f"申请获取“{_request(application)}”。")
    supplemented = _last_event(application, "supplement_received")
    if supplemented is not None:
        text += f"经补正，本机关于{date_cn(supplemented.occurred_on)}收到补正后的申请。"
    return text


def _contact(organisation: Organisation) -> str:
    office = organisation.disclosure_office_name or organisation.name
    parts = [f"联系机构：{office}"]
    if organisation.disclosure_office_phone or organisation.phone:
        parts.append(f"联系电话：{organisation.disclosure_office_phone or organisation.phone}")
    if organisation.disclosure_office_address or organisation.address:
        parts.append(f"地址：{organisation.disclosure_office_address or organisation.address}")
    return "　".join(parts)


# --- The reply ---------------------------------------------------------------------------------------------



def remedy_clause(*, organisation: Organisation, outcome: str, legal_person: bool = False) -> str:
    """The remedy clause of RULES §9 for a determination.

    Withholding (不予公开, and the withheld parts of 部分公开): reconsideration first (行政复议法
    第二十三条第一款第（四）项, the agency must say so, 第二款). Otherwise reconsideration within 60 days
    (第二十条) or litigation within 6 months (行政诉讼法 第四十六条). A referral to the 行政查询 channel
    (第三十六条第（七）项) is counted in the report's 不予公开 table but is not a decision to withhold
    information, so it gets the ordinary clause.
    """
    body = organisation.reconsideration_body or "【行政复议机关（请在机关设置中配置）】"
    court = organisation.court or "【管辖人民法院（请在机关设置中配置）】"
    you = "如贵单位" if legal_person else "如您"
    if OUTCOMES[outcome].withholds and outcome not in REFERRAL_OUTCOMES:  # 复议前置 (RULES §9)
        return (f"{you}对本答复中不予公开的决定不服，可以自收到本告知书之日起六十日内向{body}申请行政复议。"
                "根据《中华人民共和国行政复议法》第二十三条第一款第（四）项的规定，申请政府信息公开，行政机关不予公开的，"
                "应当先向行政复议机关申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内，"
                f"依法向{court}提起行政诉讼。")
    return (f"{you}对本答复不服，可以自收到本告知书之日起六十日内向{body}申请行政复议，"
            f"也可以自收到本告知书之日起六个月内向{court}提起行政诉讼。")


def _withheld_parts_text(parts: list[dict[str, Any]]) -> str:
    numerals = "一二三四五六七八九十"
    lines = []
    for n, part in enumerate(parts):
        label = f"（{numerals[n]}）" if n < len(numerals) else f"（{n + 1}）"
        basis = ""
        if part.get("reason_code") in OUTCOMES:
            basis = f"依据{REGULATION}{OUTCOMES[part['reason_code']].basis}的规定，"
        lines.append(f"{label}{part.get('part', '').strip()}：{basis}{part.get('reason', '').strip().rstrip('。')}，不予公开。")
    return "\n".join(lines)


def decision_text(*, application: Application, determination: dict[str, Any]) -> str:
    """The 答复内容 for a determination: what was decided, on which article, and why — followed by the
    handler's own wording of the reply (the determination's `text`, issue 17.11) where it was not already
    used as the way the information is provided."""
    text = _decision_text(application, determination)
    own = (determination.get("text") or "").strip()
    if own and own not in text:
        text += "\n" + own
    return text


def _decision_text(application: Application, determination: dict[str, Any]) -> str:
    outcome = OUTCOMES[determination["outcome"]]
    reply_type = determination.get("reply_type") or outcome.default_reply_type
    reason = (determination.get("reason") or "").strip().rstrip("。")
    you = _you(application)
    art = REPLY_TYPE_ARTICLES.get(reply_type, "")
    if outcome.code == "partial":
        return ("经审查，" + you + "申请获取的政府信息中，部分内容可以公开，部分内容不予公开。根据" + REGULATION
                + "第三十七条的规定，本机关对可以公开的部分予以提供（见附件），对不予公开的部分说明理由如下：\n"
                + _withheld_parts_text(determination.get("withheld_parts") or []))
    if reply_type == "already_public":
        where = determination.get("where") or (determination.get("text") or "").strip().rstrip("。") or "【公开的网址或查阅地点】"
        return (f"经审查，{you}申请获取的政府信息已经主动公开。根据{REGULATION}{art}的规定，"
                f"现告知{you}获取该政府信息的方式和途径：{where}。")
    if outcome.code == "disclosed":
        own = (determination.get("text") or "").strip().rstrip("。")
        how = determination.get("how") or own or "现将该政府信息提供给" + you + "（见附件）"
        return f"经审查，{you}申请获取的政府信息属于可以公开的政府信息。根据{REGULATION}{art}的规定，{how}。"
    if outcome.group == "withheld":
        reason = reason or "【不予公开的理由】"
        basis = determination_basis(outcome=outcome.code, reply_type=reply_type)
        return f"经审查，{you}申请获取的政府信息{reason}。根据{REGULATION}{basis}的规定，本机关决定不予公开。"
    if reply_type == "not_exist":
        return (f"经检索查找，本机关未制作或者获取{you}申请获取的政府信息，该政府信息不存在。根据{REGULATION}{art}"
                "的规定，特此告知。")
    if reply_type == "not_responsible":
        agency = (determination.get("responsible_agency") or "").strip()
        tail = (f"该政府信息由{agency}负责公开，{you}可以向其提出申请。" if agency
                else "经查，本机关无法确定负责公开该政府信息的行政机关。")
        return f"经审查，{you}申请获取的政府信息不属于本机关负责公开。根据{REGULATION}{art}的规定，特此告知。{tail}"
    if reply_type == "repeat":
        return (f"经审查，{you}的申请与此前已经答复的申请内容重复。根据{REGULATION}{art}的规定，"
                "本机关不予重复处理。")
    if reply_type == "administrative_inquiry":
        return (f"经审查，{you}申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定的情形。"
                f"根据{REGULATION}{art}的规定，请{you}依照有关法律、行政法规的规定办理（行政查询）。")
    texts = {
        "unavailable_needs_creation": f"经审查，本机关没有{you}申请获取的现成信息，需要另行制作或者对现有政府信息进行加工、分析。"
        f"根据{REGULATION}第三十八条的规定，本机关不予提供。",
        "unavailable_still_unclear": f"经补正后，{you}的申请内容仍不明确，本机关无法确定所需政府信息。根据{REGULATION}"
        "第三十条的规定，本机关无法提供。",
        "not_handled_petition": f"经审查，{you}的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{REGULATION}"
        "第三十九条第一款的规定，本机关不作为政府信息公开申请处理，请通过相应渠道提出。",
        "not_handled_publication": f"经审查，{you}申请获取的信息属于公开出版物。根据{REGULATION}第三十九条第二款的规定，"
        f"{you}可以通过【获取渠道】获取。",
        "not_handled_excessive": f"经审查，{you}申请公开政府信息的数量、频次明显超过合理范围，且提出的理由不合理。根据"
        f"{REGULATION}第三十五条的规定，本机关不予处理。",
        "other_no_supplement": f"本机关已于补正告知书中告知{you}补正事项和补正期限。{you}无正当理由逾期未补正，根据{REGULATION}"
        "第三十条的规定，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "other_unpaid_fee": f"本机关已向{you}发出收费通知。{you}逾期未按收费通知要求缴纳费用，根据《政府信息公开信息处理费管理办法》"
        "（国办函〔2020〕109号）的规定，视为放弃申请，本机关不再处理该政府信息公开申请。",
        "not_handled_confirmation": f"经审查，{you}的申请系要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请，"
        "本机关不予处理。",
    }
    text = texts.get(outcome.code) or f"经审查，本机关对{you}的申请作出如下处理：{outcome.label}。"
    if reason:
        text += f"{reason}。"
    return text


# --- Drafting ----------------------------------------------------------------------------------------------

def _determination(application: Application, determination: dict[str, Any] | None) -> dict[str, Any]:
    if determination:
        if determination.get("outcome") not in OUTCOMES:
            raise ValidationError("请选择办理结果。")
        return dict(determination)
    event = _last_event(application, "determination")
    if event is None and application.outcome:  # closed by a lapse (supplement or fee), not by a determination
        return {"outcome": application.outcome}
    if event is None:
        raise ValidationError("本案尚未作出答复决定，请先记录答复决定或提供办理结果。")
    return dict(event.fields)


def _content(application: Application, kind: str, *, determination=None, fee_notice: FeeNotice | None = None,
             event: ApplicationEvent | None = None) -> dict[str, Any]:
    org = application.organisation
    name = (application.applicant or {}).get("name") or "【申请人】"
    c: dict[str, Any] = {"title": LETTER_KINDS[kind], "recipient": f"{name}：", "opening": _opening(application),
                         "decision": "", "remedy": "", "closing": _contact(org), "signature": org.name, "facts": {}}
    you = _you(application)
    if kind == "reply":
        det = _determination(application, determination)
        c["decision"] = decision_text(application=application, determination=det)
        c["remedy"] = remedy_clause(organisation=org, outcome=det["outcome"],
                                    legal_person=application.is_legal_person)
        c["facts"] = {"outcome": det["outcome"], "reply_type": det.get("reply_type") or
                      OUTCOMES[det["outcome"]].default_reply_type}
    elif kind == "supplement":
        ev = event or _last_event(application, "supplement_requested")
        if ev is None:
            raise ValidationError("本案尚未记录补正通知。")
        c["decision"] = (f"经审查，{you}的申请内容不够明确。根据{REGULATION}第三十条的规定，请{you}对以下内容作出补正："
                         f"{ev.fields.get('items', '').strip().rstrip('。')}。请于{date_cn(ev.fields.get('due_on'))}前"
                         "将补正后的申请提交本机关。答复期限自本机关收到补正的申请之日起计算；无正当理由逾期不补正的，"
                         "视为放弃申请，本机关不再处理该政府信息公开申请。")
        c["facts"] = {"event": ev.seq, "due_on": ev.fields.get("due_on")}
    elif kind == "extension":
        ev = event or _last_event(application, "extension")
        if ev is None:
            raise ValidationError("本案尚未记录延期。")
        reason = (ev.fields.get("reason") or ev.note or "【延期理由】").strip().rstrip("。")
        c["decision"] = (f"因{reason}，本机关不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，"
                         f"根据{REGULATION}第三十三条第二款的规定，答复期限延长{ev.fields.get('days', 20)}个工作日，"
                         f"本机关将于{date_cn(application.due_on)}前作出答复。")
        c["facts"] = {"event": ev.seq, "due_on": application.due_on.isoformat() if application.due_on else None}
    elif kind == "reasonable_period":
        ev = event or _last_event(application, "reasonable_period")
        if ev is None:
            raise ValidationError("本案尚未依第三十五条确定合理答复期限。")
        c["decision"] = (f"经审查，{you}申请公开政府信息的数量、频次明显超过合理范围。本机关已于"
                         f"{date_cn(ev.fields.get('reasons_requested_on'))}要求{you}说明理由。{you}说明的理由合理，"
                         f"但本机关无法在{REGULATION}第三十三条规定的期限内答复。根据{REGULATION}第三十五条的规定，"
                         f"本机关确定答复的合理期限为{ev.fields.get('days')}个工作日，将于{date_cn(application.due_on)}前作出答复。")
        c["facts"] = {"event": ev.seq, "due_on": application.due_on.isoformat() if application.due_on else None}
    elif kind in ("consultation_third_party", "consultation_agency"):
        ev = event or _last_event(application, "consultation_started")
        if ev is None:
            raise ValidationError("本案尚未记录征求意见。")
        party = ev.fields.get("party", "")
        days = settings.APPLICATION_CONSULTATION_WORKING_DAYS
        # The letter goes to the third party: it names the information sought, never the applicant.
        c["recipient"] = f"{party}："
        c["opening"] = (f"本机关于{date_cn(application.received_on)}收到一件政府信息公开申请，"
                        f"申请获取“{_request(application)}”。")
        if kind == "consultation_third_party":
            c["decision"] = (f"经审查，该政府信息的公开可能损害贵方的合法权益（商业秘密、个人隐私等）。根据{REGULATION}"
                             f"第三十二条的规定，现书面征求贵方意见。请于收到本函之日起{days}个工作日内，将是否同意公开的"
                             "书面意见及理由反馈本机关。逾期未提出意见的，由本机关依照条例的规定决定是否公开；"
                             "贵方不同意公开且有合理理由的，本机关不予公开，但本机关认为不公开可能对公共利益造成重大影响的，"
                             "可以决定予以公开，并将决定公开的内容和理由书面告知贵方。")
        else:
            c["decision"] = (f"经审查，该政府信息由本机关与贵机关共同制作。根据{REGULATION}第三十四条的规定，现征求贵机关意见。"
                             f"请于收到本函之日起{days}个工作日内提出意见；逾期未提出意见的，视为同意公开。")
        c["facts"] = {"event": ev.seq, "party": party}
    elif kind == "fee_notice":
        notice = fee_notice or FeeNotice.objects.filter(application=application).order_by("-id").first()
        if notice is None:
            raise ValidationError("本案尚未计收信息处理费。")
        instructions = getattr(settings, "APPLICATION_FEE_PAYMENT_INSTRUCTIONS", "") or DEFAULT_PAYMENT_INSTRUCTIONS
        pay_days = settings.APPLICATION_FEE_PAYMENT_WORKING_DAYS
        c["decision"] = (
            f"根据{BASIS_TEXT}的规定，{you}的申请需缴纳信息处理费。\n"
            f"计收方式：{notice.get_basis_display()}。\n收费标准：{STANDARD_TEXT[notice.basis]}\n"
            f"计算过程：{notice.explanation}。\n应缴金额：人民币{notice.amount}元。\n"
            f"请{you}自收到本通知之日的次日起{pay_days}个工作日内（即{date_cn(notice.payment_due_on)}前）缴纳。"
            f"缴费方式：{instructions.rstrip('。')}。\n"
            f"逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。等待缴费期间不计算在答复期限内。")
        c["facts"] = {"fee_notice": notice.pk, "amount": notice.amount, "basis": notice.basis}
    else:
        raise ValidationError(f"未知的文书类型“{kind}”。")
    return c


@transaction.atomic
def letter_draft(
    *,
    application: Application,
    kind: str,
    by: User | None,
    determination: dict[str, Any] | None = None,
    fee_notice: FeeNotice | None = None,
    event: ApplicationEvent | None = None,
    unified_from: Letter | None = None,
) -> Letter:
    """A new draft letter of `kind` filled from the case (see the module docstring).

    For a reply, the determination is the case's last `determination` event unless `determination`
    (the same fields: outcome, reply_type, reason, withheld_parts, …) is given to draft ahead of it.
    With `unified_from` (an earlier sent reply) its 答复内容 is taken as the unified wording.
    """
    _require(by, application)
    if kind not in LETTER_KINDS:
        raise ValidationError(f"未知的文书类型“{kind}”。")
    application = Application.objects.select_related("organisation").get(pk=application.pk)
    content = _content(application, kind, determination=determination, fee_notice=fee_notice, event=event)
    if unified_from is not None:
        if kind != "reply" or unified_from.kind != "reply" or unified_from.status != Letter.Status.SENT:
            raise ValidationError("统一答复口径只能引用已发出的答复告知书。")
        if unified_from.organisation_id != application.organisation_id:
            raise ValidationError("只能引用本机关发出的答复。")
        content["decision"] = unified_from.decision
        content["facts"]["unified_from"] = unified_from.number
    facts = content.pop("facts")
    letter = Letter.objects.create(application=application, organisation=application.organisation, kind=kind,
                                   facts=facts, unified_from=unified_from, created_by=by, **content)
    audit_record(actor=by, action="application.letter_draft", obj=application, organisation=application.organisation,
                 after={"letter": letter.pk, "kind": kind, "unified_from": unified_from.pk if unified_from else None})
    return letter


@transaction.atomic
def letter_update(*, letter: Letter, by: User | None, **fields: str) -> Letter:
    """Staff edit the draft's text before sending."""
    letter = Letter.objects.select_for_update().select_related("application__organisation").get(pk=letter.pk)
    _require(by, letter.application)
    if letter.status == Letter.Status.SENT:
        raise ValidationError("已发出的文书不得修改。")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"不可编辑的字段：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(letter, name, (value or "").replace("\r\n", "\n").strip())
    if not letter.title or not letter.signature:
        raise ValidationError("标题和落款机关不能为空。")
    letter.save()
    audit_record(actor=by, action="application.letter_edit", obj=letter.application,
                 organisation=letter.organisation, after={"letter": letter.pk, "fields": sorted(fields)})
    return letter


def letter_problems(*, letter: Letter) -> list[str]:
    """Why the letter cannot be sent yet (empty when it can)."""
    problems = []
    for name in EDITABLE:
        if TODO in (getattr(letter, name) or ""):
            problems.append(f"“{Letter._meta.get_field(name).verbose_name}”中仍有待填写的内容（【…】）。")
    if letter.kind == "reply":
        if not letter.organisation.reconsideration_body:
            problems.append("本机关尚未配置行政复议机关，答复告知书无法告知救济途径。")
        if not letter.organisation.court:
            problems.append("本机关尚未配置管辖人民法院，答复告知书无法告知救济途径。")
        if not letter.remedy.strip():
            problems.append("答复告知书须告知申请复议、提起诉讼的途径和期限。")
    if not (letter.decision or "").strip():
        problems.append("正文不能为空。")
    return problems


def _next_number(organisation: Organisation, year: int) -> str:
    counter, _ = LetterNumberCounter.objects.select_for_update().get_or_create(organisation=organisation, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    pattern = getattr(settings, "APPLICATION_LETTER_NUMBER_PATTERN", "") or DEFAULT_NUMBER_PATTERN
    return pattern.format(abbr=organisation.short_name or organisation.name, year=year, n=counter.last_value)


def letter_plain_text(letter: Letter) -> str:
    """The letter as text, exactly as rendered (hashed as `text_sha256`)."""
    return "\n".join(text for _, text in letter_blocks(letter))


@transaction.atomic
def letter_send(*, letter: Letter, by: User | None, dated_on: dt.date | None = None) -> Letter:
    """Number, date, render and freeze the letter. Raises ValidationError listing what is missing."""
    letter = Letter.objects.select_for_update().select_related("application__organisation", "organisation").get(
        pk=letter.pk
    )
    _require(by, letter.application)
    if letter.status == Letter.Status.SENT:
        raise ValidationError("该文书已发出。")
    problems = letter_problems(letter=letter)
    if problems:
        raise ValidationError(problems)
    letter.dated_on = dated_on or timezone.localdate()
    letter.number = _next_number(letter.organisation, letter.dated_on.year)
    text = letter_plain_text(letter)
    letter.text_sha256 = hashlib.sha256(text.encode()).hexdigest()
    letter.docx = render_docx(letter)
    letter.docx_sha256 = hashlib.sha256(letter.docx).hexdigest()
    letter.pdf = render_pdf(letter)
    letter.pdf_sha256 = hashlib.sha256(letter.pdf).hexdigest()
    letter.status = Letter.Status.SENT
    letter.sent_at = timezone.now()
    letter.sent_by = by if by is not None and by.is_authenticated else None
    letter.sent_by_name = str(by) if by is not None else "系统"
    letter.save()
    audit_record(actor=by, action="application.letter_send", obj=letter.application, organisation=letter.organisation,
                 after={"letter": letter.pk, "kind": letter.kind, "number": letter.number,
                        "pdf_sha256": letter.pdf_sha256, "docx_sha256": letter.docx_sha256,
                        "text_sha256": letter.text_sha256})
    return letter


def letter_preview_pdf(*, letter: Letter) -> bytes:
    """The PDF of a draft (unnumbered) for checking before sending; the sent PDF is stored."""
    if letter.status == Letter.Status.SENT:
        return bytes(letter.pdf)
    return render_pdf(letter)


def letter_file(*, letter: Letter, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of a sent letter, for download by staff or the applicant."""
    if letter.status != Letter.Status.SENT:
        raise ValidationError("文书尚未发出。")
    name = f"{letter.get_kind_display()}-{letter.application.tracking_code}"
    if fmt == "pdf":
        return bytes(letter.pdf), f"{name}.pdf", "application/pdf"
    if fmt == "docx":
        return (bytes(letter.docx), f"{name}.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    raise ValidationError("格式应为 pdf 或 docx。")


def letters_for_application(*, application: Application):
    return Letter.objects.filter(application=application).order_by("created_at", "id")


def letters_sent_to_applicant(*, application: Application):
    """Letters the applicant may download (the public tracking page): sent, and addressed to them."""
    return letters_for_application(application=application).filter(status=Letter.Status.SENT).exclude(
        kind__in=["consultation_third_party", "consultation_agency"]
    )


# --- Unified replies ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnifiedCandidate:
    letter: Letter
    score: float


def unified_reply_candidates(
    *, application: Application, threshold: float = similarity.UNIFIED_THRESHOLD, limit: int = 5
) -> list[UnifiedCandidate]:
    """Earlier sent replies of the organisation to requests for the same information, best first."""
    target = similarity.bigrams(similarity.request_text(info_title=application.info_title,
                                                        description=application.description))
    sent = (Letter.objects.filter(organisation_id=application.organisation_id, kind="reply",
                                  status=Letter.Status.SENT)
            .exclude(application=application).select_related("application").order_by("-sent_at"))
    found = []
    for letter in sent[:2000]:
        other = letter.application
        score = similarity.cosine(target, similarity.bigrams(
            similarity.request_text(info_title=other.info_title, description=other.description)))
        if score >= threshold:
            found.append(UnifiedCandidate(letter, round(score, 3)))
    found.sort(key=lambda c: -c.score)
    return found[:limit]
