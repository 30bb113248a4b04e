"""Intake of disclosure applications and the staff actions around a case (issue 5, items 1-3).

Public side: filing online (条例 第二十九条) with rate limits, an idempotency key and size limits; the
tracking code + secret; the applicant's plain-words timeline; supplements answered online; notices by
e-mail and by a pluggable SMS sender. Staff side: registration of letters, faxes, in-person and oral
applications with the 第三十一条 receipt date; confirmation of online applications; legal review
requests and decisions (the gate itself is in the one door, `services.application_record_event`);
internal notes; bulk assignment.

Nothing here logs or audits the applicant's personal data: log lines name the tracking code only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from gongkai.core import tracking
from gongkai.core.models import Organisation, User
from gongkai.core.ratelimit import RateLimited, rate_limit_check  # noqa: F401 (RateLimited: re-exported for the faces)
from gongkai.core.services import audit_record
from gongkai.core.tracking import secret_new, secret_normalise

from . import services
from .clock import CHANNELS, DELIVERY_METHODS, EVENT_TYPES
from .fees import applicant_identity
from .models import Application, ApplicationEvent
from .models_intake import CaseNote, LegalReview, PublicAccess
from .notices import applicant_notify
from .outcomes import OUTCOMES, REPLY_TYPES
from .selectors import application_may_handle, legal_review_required, user_is_legal_reviewer  # noqa: F401 (re-exported)

logger = logging.getLogger("gongkai.applications.intake")

IDEMPOTENCY_KEY_RE = tracking.IDEMPOTENCY_KEY_RE
# Channels staff register by hand; online applications come through the portal.
STAFF_CHANNELS = {k: v for k, v in CHANNELS.items() if k != "online"}
# The period given to supply a missing 身份证明 (第三十条: a reasonable period; a local choice).
IDENTITY_SUPPLEMENT_DAYS = 15


def applicant_normalise(applicant: dict[str, Any]) -> dict[str, Any]:
    """ID numbers and 统一社会信用代码 as people type them: spaces, full-width characters, a lower-case x."""
    data = dict(applicant)
    for key in ("id_number", "uscc"):
        if data.get(key):
            value = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in str(data[key]))
            data[key] = re.sub(r"[\s-]+", "", value).upper()
    return data


def _applicant_identity(kind: str, applicant: dict[str, Any]) -> str:
    """The per-applicant rate-limit key: the same identity the fee rules use (full-width IDs included)."""
    identity = applicant_identity(kind=kind, data=applicant)
    return ":".join(identity) if identity else ""


# --- Attachments ---------------------------------------------------------------------------------------------

MAGIC = {"pdf": (b"%PDF",), "png": (b"\x89PNG",), "jpg": (b"\xff\xd8",), "jpeg": (b"\xff\xd8",),
         "docx": (b"PK",), "ofd": (b"PK",), "doc": (b"\xd0\xcf\x11\xe0",)}


def attachments_check(files: list[UploadedFile]) -> None:
    """Refuse too many, too large or unexpected files (by extension and, where known, by content)."""
    if len(files) > settings.APPLICATION_INTAKE_MAX_FILES:
        raise ValidationError(f"最多可上传 {settings.APPLICATION_INTAKE_MAX_FILES} 个附件。")
    limit = settings.APPLICATION_INTAKE_FILE_MAX_MB * 1024 * 1024
    for f in files:
        ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        if ext not in settings.APPLICATION_INTAKE_EXTENSIONS:
            raise ValidationError(
                f"附件“{f.name}”的类型不支持，可上传：{'、'.join(settings.APPLICATION_INTAKE_EXTENSIONS)}。")
        if f.size > limit:
            raise ValidationError(f"附件“{f.name}”超过 {settings.APPLICATION_INTAKE_FILE_MAX_MB} MB。")
        head = f.read(8)
        f.seek(0)
        if ext in MAGIC and not head.startswith(MAGIC[ext]):
            raise ValidationError(f"附件“{f.name}”的内容与扩展名不符。")


# --- Public filing ---------------------------------------------------------------------------------------------

@dataclass
class Filed:
    application: Application
    secret: str
    replayed: bool


def _secret_new() -> str:
    """A fresh tracking secret from server-side randomness only (issue 15.4): nothing the browser sends
    (the form's idempotency key included) lets anyone derive it. Only its hash is stored, so it is shown
    once, on the confirmation page of the filing that created it."""
    return secret_new()


idempotency_key_new = tracking.idempotency_key_new


def _access_for_key(digest: str) -> PublicAccess | None:
    return PublicAccess.objects.select_related("application__organisation").filter(idempotency_digest=digest).first()


def application_file_online(
    *,
    organisation: Organisation,
    applicant_kind: str,
    applicant: dict[str, Any],
    description: str,
    info_title: str = "",
    requested_forms: list[str] | None = None,
    delivery_methods: list[str] | None = None,
    attachments: list[UploadedFile] | None = None,
    idempotency_key: str,
    client_address: str,
    account: User | None = None,
) -> Filed:
    """File an application through the portal (互联网渠道, 条例 第二十九条、第三十一条).

    The application waits for the office's confirmation, whose date is the receipt date. A second call
    with the same `idempotency_key` returns the first application (`replayed`) and files nothing.
    Raises ValidationError for bad input and RateLimited when the address or the applicant is over limit.
    """
    if not IDEMPOTENCY_KEY_RE.match(idempotency_key or ""):
        raise ValidationError("表单已失效，请刷新页面后重新提交。")
    digest = tracking.idempotency_digest(idempotency_key)
    existing = _access_for_key(digest)
    if existing:
        # A replay never shows the secret again: the face binds the key to the session that got the form.
        return Filed(existing.application, "", True)
    if not organisation.is_active:
        raise ValidationError("该机关不受理网上申请。")
    if len(description or "") > settings.APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS:
        raise ValidationError(f"内容描述不能超过 {settings.APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS} 字。")
    files = attachments or []
    attachments_check(files)
    clean = services.applicant_clean(kind=applicant_kind, data=applicant_normalise(applicant))
    errors = {}
    if applicant_kind == "natural_person" and not clean.get("id_number"):
        errors["id_number"] = "请填写身份证件号码（第二十九条：申请人的身份证明）。"
    if applicant_kind != "natural_person" and not clean.get("uscc"):
        errors["uscc"] = "请填写统一社会信用代码。"
    if not (clean.get("phone") or clean.get("email")):
        errors["phone"] = "网上申请请至少填写电话或电子邮箱，以便联系和确认。"
    if errors:
        raise ValidationError(errors)
    secret = _secret_new()
    try:
        with transaction.atomic():
            rate_limit_check(scope="intake_address", key=client_address or "unknown",
                             limit=settings.APPLICATION_INTAKE_LIMIT_PER_ADDRESS)
            rate_limit_check(scope="intake_applicant", key=_applicant_identity(applicant_kind, clean),
                             limit=settings.APPLICATION_INTAKE_LIMIT_PER_APPLICANT)
            application = services.application_create(
                organisation=organisation, by=None, applicant_kind=applicant_kind, applicant=clean, channel="online",
                description=description, info_title=info_title, requested_forms=requested_forms or [],
                delivery_methods=delivery_methods or [], submitted_at=timezone.now(),
            )
            PublicAccess.objects.create(
                application=application, secret_hash=make_password(secret_normalise(secret)), idempotency_digest=digest,
                account=account if account is not None and account.is_authenticated else None,
            )
            for f in files:
                services.application_attach(application=application, by=None, file=f, name=f.name)
    except IntegrityError:
        # The same form was filed at the same moment by another request: that one won.
        existing = _access_for_key(digest)
        if existing is None:
            raise
        return Filed(existing.application, "", True)
    logger.info("online application %s filed to %s", application.tracking_code, organisation.code)
    applicant_notify(application=application, subject="申请已提交",
                     text=f"您向{organisation.name}提交的政府信息公开申请已提交，待该机关确认收到后开始计算答复期限。")
    return Filed(application, secret, False)


TRACKING_LIMITED = "查询失败次数过多，请稍后再试。"


@lru_cache(maxsize=4)
def _dummy_hash(hasher_setting: tuple[str, ...]) -> str:
    """A hash made once per hasher configuration, checked when no case has the code (issue 15.5)."""
    return make_password(secrets.token_hex(16))


def application_by_secret(*, tracking_code: str, secret: str, client_address: str) -> Application | None:
    """The application whose tracking code and secret match, else None. Failed look-ups are rate-limited
    per address (RateLimited) so secrets cannot be guessed.

    Both paths cost one hash check (issue 15.5): an unknown code is checked against a hash made once,
    so the time taken does not reveal whether a tracking code exists."""
    rate_limit_check(scope="tracking", key=client_address or "unknown",
                     limit=settings.APPLICATION_TRACKING_LIMIT_PER_ADDRESS, record=False, message=TRACKING_LIMITED)
    code = re.sub(r"\s+", "", tracking_code or "").upper()
    access = PublicAccess.objects.select_related("application__organisation").filter(application__tracking_code=code).first()
    stored = access.secret_hash if access else _dummy_hash(tuple(settings.PASSWORD_HASHERS))
    ok = check_password(secret_normalise(secret), stored)
    if access and ok:
        return access.application
    rate_limit_check(scope="tracking", key=client_address or "unknown",
                     limit=settings.APPLICATION_TRACKING_LIMIT_PER_ADDRESS, message=TRACKING_LIMITED)
    return None


# --- A lost tracking secret, recovered through the applicant's own contact (issue 17.7) ----------------------

RECOVERY_MAX_AGE_SECONDS = 30 * 60
RECOVERY_SALT = "gongkai.applications.tracking-recovery"
RECOVERY_ANSWER = ("如果查询码与您填写的联系方式和申请时留下的一致，我们已向该联系方式发送找回查询密码的链接，"
                   f"{RECOVERY_MAX_AGE_SECONDS // 60} 分钟内有效。没有收到时，请核对后再试，或联系受理机关。")


def _recovery_contact_matches(applicant: dict[str, Any], contact: str) -> str:
    """"email" or "phone" when `contact` is the e-mail address or phone the applicant gave, else ""."""
    contact = (contact or "").strip()
    if "@" in contact:
        given = str(applicant.get("email") or "").strip().lower()
        return "email" if given and hmac_equal(given, contact.lower()) else ""
    digits = re.sub(r"\D", "", contact)[-11:]
    given = re.sub(r"\D", "", str(applicant.get("phone") or ""))[-11:]
    return "phone" if len(digits) >= 7 and given and hmac_equal(given, digits) else ""


def hmac_equal(a: str, b: str) -> bool:
    import hmac  # noqa: PLC0415 (compare_digest only)

    return hmac.compare_digest(a.encode(), b.encode())


def _recovery_fingerprint(access: PublicAccess) -> str:
    # Changes with the secret: a link works once, and not after the secret was changed another way.
    return hashlib.sha256(access.secret_hash.encode()).hexdigest()[:16]


def tracking_recovery_request(*, tracking_code: str, contact: str, client_address: str, link_for) -> None:
    """Send a link to set a new tracking secret to the contact the applicant gave, when `tracking_code`
    and `contact` (that e-mail address, or that phone when SMS is configured) match a case. Says nothing
    either way (the face answers RECOVERY_ANSWER), so it reveals no case; rate-limited per address and
    per tracking code (RateLimited). `link_for(token)` makes the absolute link."""
    rate_limit_check(scope="tracking_recovery", key=client_address or "unknown",
                     limit=settings.APPLICATION_RECOVERY_LIMIT_PER_ADDRESS, message="找回请求过于频繁，请稍后再试。")
    code = re.sub(r"\s+", "", tracking_code or "").upper()
    rate_limit_check(scope="tracking_recovery_code", key=code, limit=settings.APPLICATION_RECOVERY_LIMIT_PER_CASE,
                     message="找回请求过于频繁，请稍后再试。")
    access = PublicAccess.objects.select_related("application__organisation").filter(application__tracking_code=code).first()
    if access is None:
        return
    application = access.application
    channel = _recovery_contact_matches(application.applicant or {}, contact)
    if not channel or channel == "phone" and not settings.APPLICATION_SMS_SENDER:
        return
    from django.core import signing  # noqa: PLC0415 (recovery only)

    token = signing.dumps({"a": application.pk, "f": _recovery_fingerprint(access)}, salt=RECOVERY_SALT)
    link = link_for(token)
    text = (f"您（或他人）请求找回政府信息公开申请 {application.tracking_code} 的查询密码。"
            f"如是您本人，请在 {RECOVERY_MAX_AGE_SECONDS // 60} 分钟内打开以下链接设置新的查询密码：\n{link}\n"
            "如不是您本人，请忽略本邮件，原查询密码继续有效。")
    try:
        if channel == "email":
            send_mail("【政府信息公开申请】找回查询密码", text, settings.DEFAULT_FROM_EMAIL, [application.applicant["email"]])
        else:
            import_string(settings.APPLICATION_SMS_SENDER)(application.applicant["phone"],
                                                           f"【政府信息公开】找回查询密码：{link}（{RECOVERY_MAX_AGE_SECONDS // 60}分钟内有效）")
    except Exception:  # noqa: BLE001 — the answer must not differ
        logger.warning("recovery link for application %s could not be sent", application.tracking_code)
        return
    audit_record(actor=None, action="application.tracking_recovery_sent", obj=application,
                 organisation=application.organisation, note=f"渠道：{'电子邮件' if channel == 'email' else '短信'}",
                 ip_address=client_address or None)


def tracking_recovery_application(*, token: str) -> Application | None:
    """The case a recovery link is for, while the link is fresh and unused; else None."""
    from django.core import signing  # noqa: PLC0415 (recovery only)

    try:
        data = signing.loads(token, salt=RECOVERY_SALT, max_age=RECOVERY_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    access = PublicAccess.objects.select_related("application__organisation").filter(application_id=data.get("a")).first()
    if access is None or not hmac_equal(_recovery_fingerprint(access), str(data.get("f", ""))):
        return None
    return access.application


@transaction.atomic
def tracking_secret_reset(*, token: str, client_address: str) -> Filed | None:
    """Set a new tracking secret for the case of a valid recovery link (the old secret and the link stop
    working) and return it to be shown once; None when the link is stale or used."""
    application = tracking_recovery_application(token=token)
    if application is None:
        return None
    access = PublicAccess.objects.select_for_update().get(application=application)
    secret = _secret_new()
    access.secret_hash = make_password(secret_normalise(secret))
    access.save(update_fields=["secret_hash"])
    audit_record(actor=None, action="application.tracking_secret_reset", obj=application,
                 organisation=application.organisation, ip_address=client_address or None)
    return Filed(application, secret, False)


def applications_of_account(*, user: User) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(public_access__account=user).select_related("organisation").order_by("-id")


# --- What the applicant sees -----------------------------------------------------------------------------

PUBLIC_HIDDEN_EVENTS = {"assigned"}


# Steps whose public wording does not depend on the event's details.
PUBLIC_FIXED_LINES = {
    "submitted": "您提交了申请。",
    "supplement_received": "收到您的补正，答复期限自此重新计算。",
    "supplement_lapsed": "补正期限届满未收到补正，视为放弃申请（条例第三十条）。",
    "consultation_ended": "征求意见结束，恢复计算答复期限。",
    "fee_paid": "已收到您缴纳的信息处理费。",
    "fee_lapsed": "缴费期限届满未缴费，不再处理该申请。",
    "archived": "案件已归档。",
    "reopened": "重新办理您的申请。",
}


def _public_line(e: ApplicationEvent) -> str:
    if e.type in PUBLIC_FIXED_LINES:
        return PUBLIC_FIXED_LINES[e.type]
    f = e.fields or {}
    if e.type == "received":
        return f"{e.organisation.name}确认收到申请，答复期限自此计算。"
    if e.type == "transferred":
        return f"申请转交{f.get('to_organisation_name', '其他机关')}办理。"
    if e.type == "supplement_requested":
        return f"需要您补正申请：{str(f.get('items', '')).rstrip('。. ')}（补正期限 {f.get('due_on', '')}）。"
    if e.type == "consultation_started":
        who = "第三方" if f.get("kind") == "third_party" else "其他机关"
        return f"正在征求{who}意见，征求意见时间不计入答复期限。"
    if e.type == "extension":
        return f"经政府信息公开工作机构负责人同意，答复期限延长 {f.get('days', '')} 个工作日（条例第三十三条）。"
    if e.type == "reasonable_period":
        return f"依条例第三十五条确定答复的合理期限：{f.get('days', '')} 个工作日。"
    if e.type == "fee_notice":
        return f"发出信息处理费通知，金额 {f.get('amount', '')} 元。"
    if e.type == "determination":
        outcome = OUTCOMES.get(f.get("outcome", ""))
        reply = REPLY_TYPES.get(f.get("reply_type") or (outcome.default_reply_type if outcome else ""), "")
        if outcome and outcome.group == "partial":
            reply = ""
        return f"已作出答复：{outcome.label if outcome else ''}" + (f"（{reply}）" if reply else "") + "。"
    if e.type == "delivery":
        return f"答复已送达（{DELIVERY_METHODS.get(f.get('method', ''), '')}）。"
    return EVENT_TYPES.get(e.type, e.type)


def application_public_timeline(*, application: Application) -> list[dict[str, Any]]:
    """The case's steps in plain words for the applicant: no internal notes, no staff names."""
    return [
        {"on": e.occurred_on, "text": _public_line(e)}
        for e in application.events.select_related("organisation")
        if e.type not in PUBLIC_HIDDEN_EVENTS
    ]


def application_pending_supplement(*, application: Application) -> dict[str, Any] | None:
    """The open supplement request (items and period) when the case waits for the applicant."""
    if application.status != Application.Status.PAUSED or application.pause_reason != "supplement":
        return None
    request = application.events.filter(type="supplement_requested").last()
    if request is None:
        return None
    due = dt.date.fromisoformat(request.fields["due_on"])
    return {"items": request.fields.get("items", ""), "due_on": due, "late": timezone.localdate() > due}


def application_supplement_online(
    *, application: Application, text: str, attachments: list[UploadedFile] | None = None, late_reason: str = ""
) -> Application:
    """The applicant answers the supplement request online; received the day it is submitted."""
    pending = application_pending_supplement(application=application)
    if pending is None:
        raise ValidationError("该申请目前不需要补正。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写补正内容。"})
    if len(text) > settings.APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS:
        raise ValidationError({"text": f"补正内容不能超过 {settings.APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS} 字。"})
    files = attachments or []
    attachments_check(files)
    fields: dict[str, Any] = {"online": True, "content": text}
    if late_reason.strip():
        fields["late_reason"] = late_reason.strip()[:1000]
    with transaction.atomic():
        application = services.application_record_event(
            application=application, by=None, type="supplement_received", occurred_on=timezone.localdate(), fields=fields,
        )
        for f in files:
            services.application_attach(application=application, by=None, file=f, name=f.name)
    logger.info("online supplement received for application %s", application.tracking_code)
    return application


# --- Staff registration and confirmation ------------------------------------------------------------------

def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@transaction.atomic
def application_register(
    *,
    organisation: Organisation,
    by: User,
    channel: str,
    applicant_kind: str,
    applicant: dict[str, Any],
    description: str,
    info_title: str = "",
    requested_forms: list[str] | None = None,
    delivery_methods: list[str] | None = None,
    submitted_on: dt.date | None = None,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    oral_reason: str = "",
    identity_supplement: bool = False,
) -> Application:
    """Register an application handed in by letter, fax, in person or orally (登记).

    The receipt date follows 第三十一条: in person / oral → the day submitted; registered post → the day
    signed for; ordinary letter → the day confirmed with the applicant; fax → the day both sides
    confirm. A fax or ordinary letter without a confirmation date yet stays 待确认收到.

    第二十九条 asks for the applicant's 身份证明 (an ID document number for a person, the 统一社会信用代码
    for an organisation). Without it the registration is refused, unless `identity_supplement`: then the
    case is registered and the 补正 notice for the 身份证明 (第三十条, within 7 working days) is recorded at
    once, dated today, with a period of `IDENTITY_SUPPLEMENT_DAYS` days.
    """
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": "请选择申请方式：" + "、".join(STAFF_CHANNELS.values())})
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if channel in {"in_person", "oral", "fax"} and not submitted_on:
        errors["submitted_on"] = "请填写提交日期。"
    if channel == "letter" and not signed_on:
        errors["signed_on"] = "邮寄的申请以签收之日为收到申请之日（第三十一条），请填写签收日期。"
    if channel == "oral" and not oral_reason.strip():
        errors["oral_reason"] = "口头提出申请限于以书面形式确有困难的情形（第二十九条），请写明原因。"
    for name, day in (("submitted_on", submitted_on), ("signed_on", signed_on), ("confirmed_on", confirmed_on)):
        if day and day > today:
            errors[name] = "日期不能晚于今天。"
    if submitted_on and signed_on and signed_on < submitted_on:
        errors["signed_on"] = "签收日期不能早于寄出日期。"
    person = applicant_kind == "natural_person"
    identity_key = "id_number" if person else "uscc"
    missing_identity = not str((applicant or {}).get(identity_key) or "").strip()
    receipt_known = channel in {"in_person", "oral", "letter"} or bool(confirmed_on)
    if missing_identity and not (identity_supplement and receipt_known):
        errors[identity_key] = (
            ("请填写身份证件号码" if person else "请填写统一社会信用代码") + "：申请须提供申请人的身份证明（第二十九条）"
            + ("；或勾选“未提供身份证明：登记后通知补正”，登记后即通知申请人补正（第三十条）。" if receipt_known
               else "；收到申请之日尚未确认的，须先取得身份证明。"))
    if errors:
        raise ValidationError(errors)
    application = services.application_create(
        organisation=organisation, by=by, applicant_kind=applicant_kind, applicant=applicant_normalise(applicant),
        channel=channel,
        description=description, info_title=info_title, requested_forms=requested_forms,
        delivery_methods=delivery_methods, submitted_at=_noon(submitted_on) if submitted_on else None,
    )
    received: tuple[dt.date, dict[str, Any]] | None = None
    if channel in {"in_person", "oral"}:
        received = (submitted_on, {"oral_reason": oral_reason.strip()} if channel == "oral" else {})
    elif channel == "letter":
        received = (signed_on, {"signed_on": signed_on})
    elif confirmed_on:  # fax, ordinary letter
        received = (confirmed_on, {"confirmed_on": confirmed_on})
    if received:
        application = services.application_record_event(
            application=application, by=by, type="received", occurred_on=received[0], fields=received[1]
        )
    if missing_identity:
        what = "身份证件号码及身份证件复印件" if person else "统一社会信用代码及营业执照等登记证书复印件"
        application = services.application_record_event(
            application=application, by=by, type="supplement_requested", occurred_on=today,
            fields={"items": f"申请人的身份证明（{what}，条例第二十九条）",
                    "due_on": today + dt.timedelta(days=IDENTITY_SUPPLEMENT_DAYS), "identity": True},
        )
    return application


def application_confirm(*, application: Application, by: User, confirmed_on: dt.date,
                        expected_version: int | None = None) -> Application:
    """Confirm an online or fax application: the confirmation day is the receipt date (第三十一条)."""
    return services.application_record_event(application=application, by=by, type="received",
                                             occurred_on=confirmed_on, fields={"confirmed_on": confirmed_on},
                                             expected_version=expected_version)


# --- Legal review ---------------------------------------------------------------------------------------------

def _require_handler(by: User, application: Application) -> None:
    if not application_may_handle(user=by, application=application):
        raise PermissionDenied("您不是该机关的依申请公开办理人员。")


@transaction.atomic
def legal_review_request(*, application: Application, by: User, outcome: str, draft: str) -> LegalReview:
    _require_handler(by, application)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": "请选择拟办理结果。"})
    if not (draft or "").strip():
        raise ValidationError({"draft": "请写明拟答复意见及理由。"})
    if application.status == Application.Status.CLOSED:
        raise ValidationError("案件已办结。")
    if application.legal_reviews.filter(status=LegalReview.Status.PENDING).exists():
        raise ValidationError("已有待审核的法律审核申请。")
    review = LegalReview.objects.create(application=application, outcome=outcome, draft=draft.strip(),
                                        requested_by=by, requested_by_name=str(by))
    audit_record(actor=by, action="application.legal_review_request", obj=application,
                 organisation=application.organisation, after={"review": review.pk, "outcome": outcome})
    return review


@transaction.atomic
def legal_review_decide(*, review: LegalReview, by: User, approve: bool, comment: str = "") -> LegalReview:
    review = LegalReview.objects.select_for_update().select_related("application__organisation").get(pk=review.pk)
    if not user_is_legal_reviewer(user=by, organisation=review.application.organisation):
        raise PermissionDenied("只有法律顾问可以审核。")
    if review.status != LegalReview.Status.PENDING:
        raise ValidationError("该审核已有结论。")
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": "退回修改请写明审核意见。"})
    review.status = LegalReview.Status.APPROVED if approve else LegalReview.Status.RETURNED
    review.reviewer, review.reviewer_name = by, str(by)
    review.comment, review.decided_at = (comment or "").strip(), timezone.now()
    review.save()
    audit_record(actor=by, action="application.legal_review_decide", obj=review.application,
                 organisation=review.application.organisation, after={"review": review.pk, "status": review.status})
    return review


# --- Case actions (every step through services.application_record_event) -------------------------------------------------------------------------------------------

def applications_assign(*, applications: list[Application], by: User, assignee: User) -> tuple[int, list[str]]:
    """Assign several cases at once; each is checked on its own. Returns (assigned, error messages)."""
    done, errors = 0, []
    for application in applications:
        try:
            services.application_record_event(application=application, by=by, type="assigned",
                                              fields={"assignee": assignee.pk})
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            errors.append(f"{application.tracking_code}：{message}")
    return done, errors


@transaction.atomic
def case_note_add(*, application: Application, by: User, text: str) -> CaseNote:
    _require_handler(by, application)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写备注内容。"})
    note = CaseNote.objects.create(application=application, author=by, author_name=str(by), text=text[:5000])
    audit_record(actor=by, action="application.note", obj=application, organisation=application.organisation,
                 after={"note": note.pk})
    return note

