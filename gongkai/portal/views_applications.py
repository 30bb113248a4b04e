"""Public pages of 依申请公开: the application form, the confirmation, following the case.

Views validate input and call `gongkai.applications.intake`; they never show the applicant's personal
data back (the confirmation and status pages name the organisation, dates and steps only).
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.applications import intake, letters, services
from gongkai.applications.clock import STATE_LABELS
from gongkai.applications.models import DELIVERY_CHOICES, ID_TYPES, REQUESTED_FORMS, Application
from gongkai.applications.outcomes import (
    APPLICANT_KINDS,
    LEGAL_PERSON_KINDS,
    OUTCOMES,
    REPLY_TYPES,
    determination_basis,
)
from gongkai.applications.selectors import application_state
from gongkai.compliance.checks.pii import is_mobile
from gongkai.core.forms import form_add_service_errors
from gongkai.core.ratelimit import client_address
from gongkai.core.selectors import organisations_receiving_applications

from . import formkeys

SESSION_ACCESS = "yisq_access"
PUBLIC_PAUSE_LABELS = {"supplement": "等待您补正", "consultation": "征求意见中，不计入答复期限", "fee": "等待缴纳信息处理费"}
SESSION_SECRET = "yisq_secret:"


def _client_address(request: HttpRequest) -> str:
    return client_address(request)


class Form(forms.Form):
    """Labels without the ASCII colon Django adds (the pages are Chinese)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


_PHONE_SEPARATORS = re.compile(r"[\s\-－—()（）]+")
_LANDLINE = re.compile(r"^(?:0\d{9,11}|[2-9]\d{6,7}|400\d{7}|800\d{7}|95\d{3,6})(?:(?:转|ext|#)\d{1,6})?$")


def phone_problem(value: str) -> str:
    """Why `value` is not a telephone number to reach the applicant on, or "" (issue 17.5). A mobile is
    checked by the same rule as the personal-data check (11 digits on an allocated prefix); a landline is an
    area code and number (0571-88886666), a local number or a service number, with an optional extension."""
    number = _PHONE_SEPARATORS.sub("", value)
    number = re.sub(r"^(?:\+86|0086)", "", number)
    if number.startswith("1"):
        return "" if is_mobile(number) else "手机号码应为 11 位（如 13800138000），请核对。"
    if _LANDLINE.match(number):
        return ""
    return "电话号码格式不正确：手机号码 11 位，固定电话请写区号和号码（如 0571-88886666）。"


class ApplicationForm(Form):
    """第二十九条: who applies, what information, in which form.

    Every check runs on every submit and each message stands beside its field (issue 17.5): the form's own
    fields, then the applicant's details by the same rules as the filing (applicant_clean), then what an
    online application needs (a way to reach the applicant)."""

    applicant_kind = "natural_person"

    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    info_title = forms.CharField(label="所需信息的名称或文号", max_length=300, required=False,
                                 help_text="如知道文件名称或文号（如“×政发〔2025〕3号”），请填写。")
    description = forms.CharField(
        label="所需信息的内容描述", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请写明信息的名称、文号或者便于查询的其他特征性描述，如制作机关、大致时间、涉及的事项或地点。"
                  "一件申请宜只涉及一项信息。",
    )
    requested_forms = forms.MultipleChoiceField(label="指定提供形式", choices=list(REQUESTED_FORMS.items()),
                                                widget=forms.CheckboxSelectMultiple, required=False)
    delivery_methods = forms.MultipleChoiceField(label="获取信息的方式", choices=list(DELIVERY_CHOICES.items()),
                                                 widget=forms.CheckboxSelectMultiple, required=False)
    pii_consent = forms.BooleanField(
        label="我已阅读并同意上述个人信息处理说明", error_messages={"required": "请阅读并同意个人信息处理说明后再提交。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["maxlength"] = str(settings.APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS)

    def clean(self):
        data = super().clean()
        phone = (data.get("phone") or "").strip()
        if phone and (problem := phone_problem(phone)):
            self.add_error("phone", problem)
        given = {k: data.get(k) for k in self.applicant_fields if data.get(k) and k not in self.errors}
        kind = data.get("kind") if "kind" in self.fields else self.applicant_kind
        try:
            if kind:
                services.applicant_clean(kind=kind, data=intake.applicant_normalise(given), required=False)
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                target = field if field in self.fields and field not in self.errors else None
                for message in messages:
                    self.add_error(target, message)
        if not (data.get("phone") or data.get("email")) and "phone" not in self.errors and "email" not in self.errors:
            self.add_error("phone", "网上申请请至少填写电话或电子邮箱，以便联系和确认。")
        return data


class NaturalPersonForm(ApplicationForm):
    name = forms.CharField(label="姓名", max_length=64)
    id_type = forms.ChoiceField(label="身份证件类型", choices=list(ID_TYPES.items()), initial="resident_id")
    id_number = forms.CharField(label="身份证件号码", max_length=40,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    phone = forms.CharField(label="联系电话", max_length=32, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(label="电子邮箱", max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label="通信地址", max_length=255, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)

    applicant_fields = ("name", "id_type", "id_number", "phone", "email", "address", "postcode")
    field_order = ["name", "id_type", "id_number", "phone", "email", "address", "postcode"]


class OrganisationApplicantForm(ApplicationForm):
    kind = forms.ChoiceField(label="申请人类别", choices=[(k, APPLICANT_KINDS[k]) for k in LEGAL_PERSON_KINDS])
    name = forms.CharField(label="名称", max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    legal_representative = forms.CharField(label="法定代表人或者负责人", max_length=64, required=False)
    contact_person = forms.CharField(label="联系人", max_length=64)
    phone = forms.CharField(label="联系电话", max_length=32, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(label="电子邮箱", max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label="通信地址", max_length=255, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)

    applicant_fields = ("name", "uscc", "legal_representative", "contact_person", "phone", "email", "address",
                        "postcode")
    field_order = ["kind", "name", "uscc", "legal_representative", "contact_person", "phone", "email", "address",
                   "postcode"]


def start(request: HttpRequest) -> HttpResponse:
    """What an application needs and to whom it goes: the organisation tree."""
    return render(request, "portal/applications/start.html", {"organisations": organisations_receiving_applications(), "nav": "yisq"})


# Idempotency keys bound to this session (issue 15.4): one mechanism for every public form.
_form_key_issue = formkeys.form_key_issue
_form_key_ours = formkeys.form_key_ours


@never_cache
def apply(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(organisations_receiving_applications(), code=code)
    person = request.GET.get("kind", request.POST.get("applicant", "person")) != "org"
    form_class = NaturalPersonForm if person else OrganisationApplicantForm
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        files = request.FILES.getlist("attachments")
        if not _form_key_ours(request, request.POST.get("idempotency_key", "")):
            # Not this session's form (another browser, or the session ended): file nothing, keep what
            # was typed, hand out a fresh key.
            data = request.POST.copy()
            data["idempotency_key"] = _form_key_issue(request)
            form = form_class(data)
            form.is_valid()
            form.add_error(None, "表单已失效，请核对后重新提交。")
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                filed = intake.application_file_online(
                    organisation=organisation,
                    applicant_kind="natural_person" if person else data["kind"],
                    applicant={k: data[k] for k in form.applicant_fields},
                    description=data["description"], info_title=data["info_title"],
                    requested_forms=data["requested_forms"], delivery_methods=data["delivery_methods"],
                    attachments=files, idempotency_key=data["idempotency_key"],
                    client_address=_client_address(request), account=request.user,
                )
            except intake.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                form_add_service_errors(form, exc)
                status = 400
            else:
                if not filed.replayed:
                    request.session[SESSION_SECRET + filed.application.tracking_code] = filed.secret
                    _grant(request, filed.application)
                return redirect("applications_portal:done", tracking_code=filed.application.tracking_code)
        else:
            status = 400
    else:
        form = form_class(initial={"idempotency_key": _form_key_issue(request)})
    return render(request, "portal/applications/apply.html", {
        "organisation": organisation, "form": form, "person": person, "nav": "yisq",
        "max_files": settings.APPLICATION_INTAKE_MAX_FILES,
        "max_mb": settings.APPLICATION_INTAKE_FILE_MAX_MB,
        "extensions": "、".join(settings.APPLICATION_INTAKE_EXTENSIONS),
    }, status=status)


def _grant(request: HttpRequest, application: Application) -> None:
    granted = set(request.session.get(SESSION_ACCESS, []))
    granted.add(application.tracking_code)
    request.session[SESSION_ACCESS] = sorted(granted)


def _granted_application(request: HttpRequest, tracking_code: str) -> Application:
    application = get_object_or_404(Application.objects.select_related("organisation"), tracking_code=tracking_code)
    if tracking_code in request.session.get(SESSION_ACCESS, []):
        return application
    access = getattr(application, "public_access", None)
    if access is not None and request.user.is_authenticated and access.account_id == request.user.pk:
        return application
    raise Http404


@never_cache
def done(request: HttpRequest, tracking_code: str) -> HttpResponse:
    application = _granted_application(request, tracking_code)
    secret = request.session.pop(SESSION_SECRET + tracking_code, None)
    return render(request, "portal/applications/done.html",
                  {"application": application, "secret": secret, "nav": "yisq"})


class TrackForm(Form):
    tracking_code = forms.CharField(label="查询码", max_length=20,
                                    widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    secret = forms.CharField(label="查询密码", max_length=40,
                             widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                             help_text="提交申请时页面显示的查询密码（如 ABCD-EFGH-JKMN）。")


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                application = intake.application_by_secret(
                    tracking_code=form.cleaned_data["tracking_code"], secret=form.cleaned_data["secret"],
                    client_address=_client_address(request))
            except intake.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                if application is not None:
                    _grant(request, application)
                    return redirect("applications_portal:status", tracking_code=application.tracking_code)
                form.add_error(None, "查询码或查询密码不正确。")
    mine = intake.applications_of_account(user=request.user)
    return render(request, "portal/applications/track.html", {"form": form, "mine": mine, "nav": "yisq"},
                  status=status)


class RecoverForm(Form):
    tracking_code = forms.CharField(label="查询码", max_length=20,
                                    widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    contact = forms.CharField(label="申请时填写的电子邮箱", max_length=254,
                              help_text="找回链接只发到申请时填写的联系方式。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.APPLICATION_SMS_SENDER:
            self.fields["contact"].label = "申请时填写的电子邮箱或手机号码"


@never_cache
def recover(request: HttpRequest) -> HttpResponse:
    """A lost tracking secret (issue 17.7): a link to set a new one goes to the contact the applicant gave.
    The answer is the same whether or not a case matches."""
    form = RecoverForm(request.POST or None)
    status, sent = 200, False
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                intake.tracking_recovery_request(
                    tracking_code=form.cleaned_data["tracking_code"], contact=form.cleaned_data["contact"],
                    client_address=_client_address(request),
                    link_for=lambda token: request.build_absolute_uri(
                        reverse("applications_portal:recover_link", args=[token])))
            except intake.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                status, sent = 200, True
    return render(request, "portal/applications/recover.html",
                  {"form": form, "sent": sent, "answer": intake.RECOVERY_ANSWER, "nav": "yisq"}, status=status)


@never_cache
def recover_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail: a button sets the new secret (a GET changes nothing, so a mail scanner
    opening the link uses nothing up); the new secret is shown once and the case opens in this session."""
    application = intake.tracking_recovery_application(token=token)
    if application is None:
        return render(request, "portal/applications/recover_link.html", {"stale": True, "nav": "yisq"}, status=410)
    if request.method == "POST":
        filed = intake.tracking_secret_reset(token=token, client_address=_client_address(request))
        if filed is None:
            return render(request, "portal/applications/recover_link.html", {"stale": True, "nav": "yisq"}, status=410)
        request.session[SESSION_SECRET + filed.application.tracking_code] = filed.secret
        _grant(request, filed.application)
        return redirect("applications_portal:done", tracking_code=filed.application.tracking_code)
    return render(request, "portal/applications/recover_link.html", {"application": application, "nav": "yisq"})


class SupplementForm(Form):
    text = forms.CharField(label="补正内容", widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="请按补正通知的要求，补充说明所需信息的名称、文号或其他特征性描述。")
    late_reason = forms.CharField(label="逾期补正的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="补正期限已过时须填写。")


@never_cache
def status(request: HttpRequest, tracking_code: str) -> HttpResponse:
    application = _granted_application(request, tracking_code)
    return _status_page(request, application, SupplementForm())


def _status_page(request, application: Application, supplement_form, code: int = 200) -> HttpResponse:
    state = application_state(application=application)
    determination = application.events.filter(type="determination").last() if application.outcome else None
    return render(request, "portal/applications/status.html", {
        "application": application,
        "state_label": STATE_LABELS.get(state, state) + (
            f"（{PUBLIC_PAUSE_LABELS[application.pause_reason]}）" if state == "paused" and application.pause_reason else ""),
        "state": state,
        "timeline": intake.application_public_timeline(application=application),
        "supplement": intake.application_pending_supplement(application=application),
        "supplement_form": supplement_form,
        "outcome": OUTCOMES.get(application.outcome),
        "reply_type": REPLY_TYPES.get(application.reply_type, ""),
        "determination": determination,
        "letters": letters.letters_sent_to_applicant(application=application),
        "nav": "yisq",
    }, status=code)


@never_cache
@require_POST
def supplement(request: HttpRequest, tracking_code: str) -> HttpResponse:
    application = _granted_application(request, tracking_code)
    form = SupplementForm(request.POST)
    if form.is_valid():
        try:
            intake.application_supplement_online(
                application=application, text=form.cleaned_data["text"],
                late_reason=form.cleaned_data["late_reason"], attachments=request.FILES.getlist("attachments"))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return redirect(reverse("applications_portal:status", args=[tracking_code]) + "#timeline")
    return _status_page(request, application, form, 400)


@never_cache
def reply(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The reply as recorded, with the sent 答复告知书 (PDF/DOCX from the letters module) to download."""
    application = _granted_application(request, tracking_code)
    determination = application.events.filter(type="determination").last()
    if determination is None:
        raise Http404
    return render(request, "portal/applications/reply.html", {
        "application": application, "determination": determination,
        "outcome": OUTCOMES.get(application.outcome), "reply_type": REPLY_TYPES.get(application.reply_type, ""),
        "basis": determination_basis(outcome=application.outcome, reply_type=application.reply_type)
        if application.outcome in OUTCOMES else "",
        "reply_letters": letters.letters_sent_to_applicant(application=application).filter(kind="reply"),
        "nav": "yisq",
    })


@never_cache
def letter_attachment_download(request: HttpRequest, tracking_code: str, letter_pk: int,
                               attachment_pk: int) -> HttpResponse:
    """What a sent letter hands over (issue 17.11): its file, streamed, or the published document."""
    from urllib.parse import quote

    application = _granted_application(request, tracking_code)
    letter = letters.letters_sent_to_applicant(application=application).filter(pk=letter_pk).first()
    attachment = letter.attachments.filter(pk=attachment_pk).first() if letter else None
    if attachment is None:
        raise Http404
    if attachment.document_id:
        return redirect("portal:document", index_no=attachment.document.index_no)
    response = StreamingHttpResponse(letters.letter_attachment_chunks(attachment=attachment),
                                     content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.file_name or attachment.title)}"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def letter_download(request: HttpRequest, tracking_code: str, letter_pk: int, fmt: str) -> HttpResponse:
    """A sent letter addressed to the applicant (never the consultation letters to third parties)."""
    from urllib.parse import quote

    application = _granted_application(request, tracking_code)
    letter = letters.letters_sent_to_applicant(application=application).filter(pk=letter_pk).first()
    if letter is None or fmt not in {"pdf", "docx"}:
        raise Http404
    content, name, content_type = letters.letter_file(letter=letter, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
