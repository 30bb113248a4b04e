"""Staff pages of 依申请公开: my cases, the office's queue, registration, the case page and its actions.

Every action is a small form posted to `act`; the one door of the case engine
(`applications.services.application_record_event`, which the API, the portal and the import call too)
decides whether the step is allowed, and its message is shown next to the form (status 400), never as
a server error. The fee steps are not among these forms: they are taken on the fees page, whose form
asks for the standard and the pages and lets the rules compute the amount. A case outside the user's
organisations answers 404.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications import intake, selectors, services
from gongkai.applications.clock import (
    CONSULTATION_KINDS,
    CONSULTATION_RESPONSES,
    DELIVERY_METHODS,
    EVENT_TYPES,
    FEE_BASES,
    PAUSE_LABELS,
    REOPEN_BASES,
    STATE_LABELS,
)
from gongkai.applications.models import DELIVERY_CHOICES, ID_TYPES, REQUESTED_FORMS, Application
from gongkai.applications.models_intake import LegalReview
from gongkai.applications.outcomes import (
    APPLICANT_KINDS,
    OUTCOME_CHOICES,
    OUTCOMES,
    REPLY_TYPES,
)
from gongkai.core.forms import form_add_service_errors
from gongkai.core.models import Organisation, Role, User
from gongkai.core.selectors import organisations_for_user, organisations_receiving_applications
from gongkai.core.services import audit_personal_data_read

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today() -> dt.date:
    return timezone.localdate()


class Form(forms.Form):
    """Labels without the ASCII colon Django adds (the pages are Chinese)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- Action forms: one per event type of the case engine ------------------------------------------------------

class ActionForm(Form):
    title = ""
    occurred_label = "日期"
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    occurred_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="说明（内部可见）", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, application: Application, **kwargs):
        self.application = application
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_on", _today())
        kwargs["initial"].setdefault("expected_version", application.version)
        kwargs.setdefault("prefix", self.type)
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].label = self.occurred_label
        self.order_fields([f for f in self.fields if f not in {"note"}] + ["note"])

    def event_fields(self) -> dict:
        return {}


class ReceivedForm(ActionForm):
    type = "received"
    title = "确认收到申请"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channel = self.application.channel
        self.fields["occurred_on"].label = {
            "online": "双方确认之日（收到申请之日）", "fax": "双方确认之日（收到申请之日）",
            "letter": "签收之日（收到申请之日）", "ordinary_letter": "与申请人确认之日（收到申请之日）",
        }.get(channel, "提交之日（收到申请之日）")
        self.fields["occurred_on"].help_text = "依条例第三十一条，答复期限自收到申请之日的次日起计算。"

    def event_fields(self):
        day = self.cleaned_data["occurred_on"]
        key = {"letter": "signed_on"}.get(self.application.channel, "confirmed_on")
        return {key: day} if self.application.channel in {"online", "fax", "letter", "ordinary_letter"} else {}


class AssignedForm(ActionForm):
    type = "assigned"
    title = "分派办理人"
    assignee = forms.ModelChoiceField(label="办理人", queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            pk__in=[u.pk for u in selectors.handlers_of(application=self.application)])

    def event_fields(self):
        return {"assignee": self.cleaned_data["assignee"].pk}


class TransferredForm(ActionForm):
    type = "transferred"
    title = "转交其他机关"
    to_organisation = forms.ModelChoiceField(label="接收机关", queryset=Organisation.objects.none(), to_field_name="code")
    reason = forms.CharField(label="转交原因", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations_receiving_applications().exclude(
            pk=self.application.organisation_id)

    def event_fields(self):
        return {"to_organisation": self.cleaned_data["to_organisation"].code, "reason": self.cleaned_data["reason"]}


class SupplementRequestedForm(ActionForm):
    type = "supplement_requested"
    title = "通知补正"
    occurred_label = "通知日期"
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="一次性写明需要补正的全部事项（第三十条）。")
    due_on = forms.DateField(label="补正期限", widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("due_on", _today() + dt.timedelta(days=15))
        super().__init__(*args, **kwargs)

    def event_fields(self):
        return {"items": self.cleaned_data["items"], "due_on": self.cleaned_data["due_on"]}


class SupplementReceivedForm(ActionForm):
    type = "supplement_received"
    title = "收到补正（纸质或当面）"
    occurred_label = "收到补正之日"
    late_reason = forms.CharField(label="逾期补正的正当理由", required=False)

    def event_fields(self):
        return {"late_reason": self.cleaned_data["late_reason"]} if self.cleaned_data["late_reason"] else {}


class SupplementLapsedForm(ActionForm):
    type = "supplement_lapsed"
    title = "逾期未补正，视为放弃申请"


class ConsultationStartedForm(ActionForm):
    type = "consultation_started"
    title = "征求意见（第三方或其他机关）"
    occurred_label = "发出征求意见函之日"
    kind = forms.ChoiceField(label="征求对象", choices=list(CONSULTATION_KINDS.items()))
    party = forms.CharField(label="第三方或机关名称", max_length=200)
    served_on = forms.DateField(label="征求意见函送达之日", required=False, widget=DATE,
                                help_text="留空按发出之日计算 15 个工作日的答复期限。")
    letter = forms.CharField(label="征求意见函要点", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="写明拟公开的信息、征求意见的事项和答复期限；不写申请人的个人信息。")
    method = forms.ChoiceField(label="发函方式", choices=[("post", "邮寄"), ("in_person", "当面送达"), ("email", "电子邮件"),
                                                       ("system", "公文系统")])

    def event_fields(self):
        d = self.cleaned_data
        fields = {"kind": d["kind"], "party": d["party"], "letter": d["letter"], "letter_method": d["method"]}
        if d["served_on"]:
            fields["served_on"] = d["served_on"]
        return fields


class ConsultationEndedForm(ActionForm):
    type = "consultation_ended"
    title = "记录征求意见结果"
    occurred_label = "收到意见（或期限届满）之日"
    party = forms.ChoiceField(label="征求对象")
    response = forms.ChoiceField(label="意见", choices=list(CONSULTATION_RESPONSES.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clock = selectors.application_clock(application=self.application)
        self.fields["party"].choices = [(c.party, c.party) for c in clock.consultations if c.ended_on is None]

    def event_fields(self):
        return {"party": self.cleaned_data["party"], "response": self.cleaned_data["response"]}


class ExtensionForm(ActionForm):
    type = "extension"
    title = "延期答复"
    occurred_label = "批准延期之日"
    days = forms.IntegerField(label="延长的工作日数", min_value=1, max_value=60)
    approver = forms.ModelChoiceField(label="批准人（政府信息公开工作机构负责人）", queryset=User.objects.none())
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}))
    notice_sent_on = forms.DateField(label="告知申请人之日", widget=DATE)

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        initial = kwargs.setdefault("initial", {})
        initial.setdefault("days", settings.APPLICATION_EXTENSION_MAX_WORKING_DAYS)
        initial.setdefault("notice_sent_on", _today())
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = User.objects.filter(
            pk__in=[u.pk for u in selectors.extension_approvers(application=self.application)])

    def event_fields(self):
        d = self.cleaned_data
        return {"days": d["days"], "approver_id": d["approver"].pk, "approver": str(d["approver"]),
                "reason": d["reason"], "notice_sent_on": d["notice_sent_on"]}


class ReasonablePeriodForm(ActionForm):
    type = "reasonable_period"
    title = "确定合理答复期限（第三十五条）"
    occurred_label = "确定期限之日"
    reasons_requested_on = forms.DateField(label="要求申请人说明理由之日", widget=DATE)
    reasons = forms.CharField(label="申请人说明的理由", widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="申请数量、频次明显超过合理范围的，可以要求申请人说明理由；理由合理、"
                              "无法在第三十三条规定的期限内答复的，确定延迟答复的合理期限并告知申请人（第三十五条）。"
                              "理由不合理的，作出“不予处理·无正当理由大量反复申请”的答复。")
    days = forms.IntegerField(label="合理答复期限（自起算日起的工作日数）", min_value=21)
    notice_sent_on = forms.DateField(label="告知申请人之日", widget=DATE)

    def event_fields(self):
        d = self.cleaned_data
        return {"reasons_requested_on": d["reasons_requested_on"], "reasons": d["reasons"], "days": d["days"],
                "notice_sent_on": d["notice_sent_on"]}


class DeterminationForm(ActionForm):
    type = "determination"
    title = "作出答复"
    occurred_label = "答复日期"
    outcome = forms.ChoiceField(label="办理结果（年报表三）", choices=[("", "请选择")] + OUTCOME_CHOICES)
    reply_type = forms.ChoiceField(label="答复类型（第三十六条）", required=False,
                                   choices=[("", "按办理结果默认")] + list(REPLY_TYPES.items()))
    text = forms.CharField(label="答复内容", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="公开的内容、获取方式或已主动公开信息的查找途径。")
    reason = forms.CharField(label="不予公开的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    withheld_parts = forms.CharField(
        label="部分公开：不予公开的部分及理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项，格式：不予公开的部分｜理由，如“第三页联系人电话｜涉及个人隐私（第十五条）”。")
    responsible_agency = forms.CharField(label="负责公开该信息的机关", required=False,
                                         help_text="答复类型为“非本机关负责公开”时填写。")

    def clean_withheld_parts(self):
        parts = []
        for n, line in enumerate(self.cleaned_data["withheld_parts"].splitlines(), 1):
            if not line.strip():
                continue
            part, sep, reason = line.replace("|", "｜").partition("｜")
            if not sep or not part.strip() or not reason.strip():
                raise ValidationError(f"第 {n} 行应为“不予公开的部分｜理由”。")
            parts.append({"part": part.strip(), "reason": reason.strip()})
        return parts

    def event_fields(self):
        d = self.cleaned_data
        fields = {"outcome": d["outcome"]}
        for key in ("reply_type", "text", "reason", "responsible_agency"):
            if d[key]:
                fields[key] = d[key]
        if d["withheld_parts"]:
            fields["withheld_parts"] = d["withheld_parts"]
        return fields


class DeliveryForm(ActionForm):
    type = "delivery"
    title = "记录送达"
    occurred_label = "送达日期"
    method = forms.ChoiceField(label="送达方式", choices=list(DELIVERY_METHODS.items()))
    tracking_no = forms.CharField(label="邮件单号", required=False)

    def event_fields(self):
        d = self.cleaned_data
        return {"method": d["method"], **({"tracking_no": d["tracking_no"]} if d["tracking_no"] else {})}


class ArchivedForm(ActionForm):
    type = "archived"
    title = "归档"
    occurred_label = "归档日期"


class ReopenedForm(ActionForm):
    type = "reopened"
    title = "重新办理（复议或诉讼后）"
    basis = forms.ChoiceField(label="依据", choices=list(REOPEN_BASES.items()))
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(label="重新答复期限（工作日）", min_value=1, required=False)

    def event_fields(self):
        d = self.cleaned_data
        return {"basis": d["basis"], "reason": d["reason"], **({"days": d["days"]} if d["days"] else {})}


ACTION_FORMS: dict[str, type[ActionForm]] = {f.type: f for f in (
    ReceivedForm, AssignedForm, TransferredForm, SupplementRequestedForm, SupplementReceivedForm,
    SupplementLapsedForm, ConsultationStartedForm, ConsultationEndedForm, ExtensionForm, ReasonablePeriodForm,
    DeterminationForm,
    DeliveryForm, ArchivedForm, ReopenedForm,
)}
# The fee steps are taken on the fees page (workspace:letters_fees), which asks for the standard and the pages.
FEE_STEPS = {"fee_notice", "fee_paid", "fee_lapsed"}
assert set(ACTION_FORMS) == set(EVENT_TYPES) - {"submitted"} - FEE_STEPS  # every other engine step has its form


def actions_for(application: Application) -> list[str]:
    """The steps that make sense in the case's present state (the engine still checks each one)."""
    status, pause = application.status, application.pause_reason
    if status == Application.Status.PENDING:
        return ["received", "assigned", "transferred"]
    if status == Application.Status.CLOSED:
        return ["delivery", "archived", "reopened"] if not application.archived else ["reopened"]
    if status == Application.Status.PAUSED and pause == "supplement":
        return ["supplement_received", "supplement_lapsed", "assigned"]
    if status == Application.Status.PAUSED and pause == "consultation":
        return ["consultation_ended", "consultation_started", "assigned"]
    if status == Application.Status.PAUSED and pause == "fee":
        return ["consultation_started", "assigned"]  # payment and lapse: the fees page (letters module)
    return ["determination", "supplement_requested", "consultation_started", "extension", "reasonable_period", "assigned",
            "transferred"]


# The letter the letters module drafts after each step (workspace:letters_case, POST kind=...).
LETTER_AFTER = {
    "supplement_requested": ("supplement", "起草补正告知书"),
    "extension": ("extension", "起草延期答复告知书"),
    "reasonable_period": ("reasonable_period", "起草确定答复期限告知书"),
    "determination": ("reply", "起草答复告知书"),
}


# --- Lists ----------------------------------------------------------------------------------------------------

def _rows(applications) -> list[dict]:
    today = _today()
    return [{"application": a, "state": (s := selectors.application_state(application=a, today=today)),
             "state_label": STATE_LABELS.get(s, s), "applicant": selectors.applicant_masked(application=a)}
            for a in applications]


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = _rows(selectors.applications_mine(user=request.user))
    reviews = LegalReview.objects.none()
    if request.user.memberships.filter(role=Role.LEGAL_REVIEWER).exists():
        reviews = [r for r in LegalReview.objects.filter(status=LegalReview.Status.PENDING)
                   .select_related("application__organisation")
                   if selectors.user_is_legal_reviewer(user=request.user, organisation=r.application.organisation)]
    return render(request, "workspace/applications/mine.html", {"rows": rows, "reviews": reviews})


class BulkAssignForm(Form):
    assignee = forms.ModelChoiceField(label="分派给", queryset=User.objects.none())


def _assignable(user: User):
    orgs = organisations_for_user(user=user, roles={Role.HANDLER})
    return User.objects.filter(memberships__organisation__in=orgs, memberships__role=Role.HANDLER,
                               is_active=True).distinct().order_by("display_name", "username")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    unassigned = request.GET.get("unassigned") == "1"
    form = BulkAssignForm(request.POST or None)
    form.fields["assignee"].queryset = _assignable(request.user)
    status = 200
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("case") if i.isdigit()]
        cases = list(selectors.application_visible_to(request.user).filter(pk__in=ids).select_related("organisation"))
        if not cases:
            form.add_error(None, "请至少勾选一件申请。")
        if form.is_valid() and cases:
            done, errors = intake.applications_assign(applications=cases, by=request.user,
                                                      assignee=form.cleaned_data["assignee"])
            if done:
                messages.success(request, f"已分派 {done} 件申请给 {form.cleaned_data['assignee']}。")
            for error in errors:
                messages.error(request, error)
            return redirect(request.get_full_path())
        status = 400
    rows = _rows(selectors.applications_queue(user=request.user, unassigned_only=unassigned))
    return render(request, "workspace/applications/queue.html",
                  {"rows": rows, "form": form, "unassigned": unassigned}, status=status)


# --- Registration -----------------------------------------------------------------------------------------------

class RegisterForm(Form):
    organisation = forms.ModelChoiceField(label="受理机关", queryset=Organisation.objects.none())
    channel = forms.ChoiceField(label="申请方式", choices=list(intake.STAFF_CHANNELS.items()))
    submitted_on = forms.DateField(label="提交日期（当面、口头、传真；信件可填寄出日期）", required=False, widget=DATE)
    signed_on = forms.DateField(label="签收日期（挂号信、快递等）", required=False, widget=DATE)
    confirmed_on = forms.DateField(label="与申请人确认之日（平常信函、传真）", required=False, widget=DATE,
                                   help_text="尚未确认的留空，确认后在案件页面记录；确认之日为收到申请之日。")
    oral_reason = forms.CharField(label="口头申请的原因", required=False,
                                  help_text="申请人以书面形式确有困难的情形（第二十九条），由工作人员代为填写。")
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=list(APPLICANT_KINDS.items()))
    name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_type = forms.ChoiceField(label="证件类型（自然人）", choices=[("", "—")] + list(ID_TYPES.items()), required=False)
    id_number = forms.CharField(label="证件号码（自然人）", required=False)
    uscc = forms.CharField(label="统一社会信用代码（法人或其他组织）", required=False)
    identity_supplement = forms.BooleanField(
        label="未提供身份证明：登记后通知补正", required=False,
        help_text="申请须提供申请人的身份证明（第二十九条）；缺少的，勾选后登记时即发出补正通知（第三十条）。")
    contact_person = forms.CharField(label="联系人（法人或其他组织）", required=False)
    phone = forms.CharField(label="联系电话", required=False)
    email = forms.CharField(label="电子邮箱", required=False)
    address = forms.CharField(label="通信地址", required=False)
    postcode = forms.CharField(label="邮政编码", required=False)
    info_title = forms.CharField(label="所需信息的名称或文号", required=False)
    description = forms.CharField(label="所需信息的内容描述", widget=forms.Textarea(attrs={"rows": 4}))
    requested_forms = forms.MultipleChoiceField(label="指定提供形式", required=False, widget=forms.CheckboxSelectMultiple,
                                                choices=list(REQUESTED_FORMS.items()))
    delivery_methods = forms.MultipleChoiceField(label="获取信息的方式", required=False,
                                                 widget=forms.CheckboxSelectMultiple, choices=list(DELIVERY_CHOICES.items()))


REGISTER_GROUPS = (
    ("受理与收到", ("organisation", "channel", "submitted_on", "signed_on", "confirmed_on", "oral_reason")),
    ("申请人", ("applicant_kind", "name", "id_type", "id_number", "uscc", "identity_supplement", "contact_person", "phone",
              "email", "address", "postcode")),
    ("所需信息与形式要求", ("info_title", "description", "requested_forms", "delivery_methods")),
)


def _case_action(request: HttpRequest, form: forms.Form, pk: int, action, *, success: str,
                 anchor: str) -> HttpResponse | None:
    """Run `action` for a valid form. Done: a message and back to the case at `anchor`. Refused (not
    valid, or the service said no): None, with the reasons on the form, for the page to show again."""
    if not form.is_valid():
        return None
    try:
        action()
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return None
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, success)
    return redirect(reverse("applications_workspace:detail", args=[pk]) + f"#{anchor}")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    orgs = organisations_for_user(user=request.user, roles={Role.HANDLER}).order_by("path")
    form = RegisterForm(request.POST or None, initial={"submitted_on": _today()})
    form.fields["organisation"].queryset = orgs
    if not orgs.exists():
        raise Http404
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            person = d["applicant_kind"] == "natural_person"
            keys = ("name", "id_type", "id_number", "phone", "email", "address", "postcode") if person else (
                "name", "uscc", "contact_person", "phone", "email", "address", "postcode")
            try:
                application = intake.application_register(
                    organisation=d["organisation"], by=request.user, channel=d["channel"],
                    applicant_kind=d["applicant_kind"], applicant={k: d[k] for k in keys if d.get(k)},
                    description=d["description"], info_title=d["info_title"], requested_forms=d["requested_forms"],
                    delivery_methods=d["delivery_methods"], submitted_on=d["submitted_on"], signed_on=d["signed_on"],
                    confirmed_on=d["confirmed_on"], oral_reason=d["oral_reason"],
                    identity_supplement=d["identity_supplement"],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("organisation", str(exc))
            else:
                messages.success(request, f"已登记申请 {application.tracking_code}。")
                return redirect("applications_workspace:detail", pk=application.pk)
    groups = [(legend, [form[name] for name in names]) for legend, names in REGISTER_GROUPS]
    return render(request, "workspace/applications/register.html", {"form": form, "groups": groups}, status=status)


# --- The case page ------------------------------------------------------------------------------------------------

class NoteForm(Form):
    text = forms.CharField(label="内部备注", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="仅本机关办理人员可见，不会告知申请人。")


class ReviewRequestForm(Form):
    outcome = forms.ChoiceField(label="拟办理结果", choices=[("", "请选择")] + OUTCOME_CHOICES)
    draft = forms.CharField(label="拟答复意见及理由", widget=forms.Textarea(attrs={"rows": 4}))


class ReviewDecideForm(Form):
    decision = forms.ChoiceField(label="审核结论", choices=[("approve", "审核通过"), ("return", "退回修改")],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


FIELD_LABELS = {
    "confirmed_on": "确认之日", "signed_on": "签收之日", "oral_reason": "口头申请原因", "assignee_name": "办理人",
    "to_organisation_name": "接收机关", "reason": "理由", "items": "补正事项", "due_on": "补正期限",
    "late_reason": "逾期理由", "content": "补正内容", "online": "网上提交", "kind": "征求对象", "party": "对象名称",
    "served_on": "送达之日", "letter": "征求意见函要点", "letter_method": "发函方式", "response": "意见",
    "legal_effect": "法律效果", "days": "工作日数", "approver": "批准人", "notice_sent_on": "告知申请人之日",
    "basis": "依据", "amount": "金额（元）", "notice_received_on": "申请人收到通知之日", "outcome": "办理结果",
    "reply_type": "答复类型", "text": "答复内容", "withheld_parts": "不予公开的部分", "responsible_agency": "负责公开的机关",
    "legal_reviewer": "法律审核人", "method": "方式", "tracking_no": "邮件单号",
    "reasons_requested_on": "要求说明理由之日", "reasons": "申请人说明的理由", "quantity": "件次或页数", "receipt_no": "缴费凭证号",
}
FIELD_VALUES = {
    "kind": CONSULTATION_KINDS, "response": CONSULTATION_RESPONSES, "basis": {**FEE_BASES, **REOPEN_BASES},
    "method": DELIVERY_METHODS, "reply_type": REPLY_TYPES, "outcome": {k: o.full_label for k, o in OUTCOMES.items()},
}


def _event_lines(fields: dict) -> list[tuple[str, str]]:
    """An event's details in words for the timeline (ids and internal keys left out)."""
    lines = []
    for key, value in fields.items():
        if key not in FIELD_LABELS:
            continue
        if key == "withheld_parts":
            value = "；".join(f"{p.get('part', '')}（{p.get('reason', '')}）" for p in value if isinstance(p, dict))
        elif key == "online":
            value = "是" if value else "否"
        else:
            value = FIELD_VALUES.get(key, {}).get(value, value)
        lines.append((FIELD_LABELS[key], str(value)))
    return lines


def _case(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_for_staff(user=request.user, pk=pk)
    if application is None:
        raise Http404("案件不存在或您无权查看。")
    return application


def _case_page(request: HttpRequest, application: Application, *, bound: ActionForm | None = None,
               note_form=None, review_form=None, decide_form=None, status: int = 200) -> HttpResponse:
    handles = selectors.application_may_handle(user=request.user, application=application)
    clock = selectors.application_clock(application=application)
    state = selectors.application_state(application=application)
    actions = []
    if handles:
        for type in actions_for(application):
            if bound is not None and bound.type == type:
                actions.append(bound)
            else:
                actions.append(ACTION_FORMS[type](application=application))
        if bound is not None and bound.type not in {a.type for a in actions}:
            actions.insert(0, bound)
    reviews = list(application.legal_reviews.all())
    pending_review = next((r for r in reviews if r.status == LegalReview.Status.PENDING), None)
    is_reviewer = selectors.user_is_legal_reviewer(user=request.user, organisation=application.organisation)
    if handles:
        # The page shows the full applicant (applicant_for): recorded (issue 15.8).
        audit_personal_data_read(actor=request.user, obj=application, organisation=application.organisation,
                                 what="案件页：申请人信息", ip_address=request.META.get("REMOTE_ADDR"))
    return render(request, "workspace/applications/detail.html", {
        "application": application,
        "applicant": selectors.applicant_for(user=request.user, application=application),
        "applicant_kind": APPLICANT_KINDS.get(application.applicant_kind, ""),
        "id_types": ID_TYPES,
        "requested_forms": [REQUESTED_FORMS.get(k, k) for k in application.requested_forms],
        "delivery_methods": [DELIVERY_CHOICES.get(k, k) for k in application.delivery_methods],
        "clock": clock,
        "calendar_help": selectors.calendar_missing_help(year=clock.missing_year) if clock.missing_year else "",
        "show_supplement_deadline": application.status == Application.Status.OPEN
        and not application.events.filter(type="supplement_requested").exists(),
        "state": state,
        "state_label": STATE_LABELS.get(state, state),
        "pause_label": PAUSE_LABELS.get(application.pause_reason, ""),
        "events": [(e, _event_lines(e.fields or {})) for e in application.events.select_related("organisation")],
        "attachments": application.attachments.all(),
        "notes": application.notes.all() if handles else [],
        "handles": handles,
        "actions": actions,
        "open_action": bound.type if bound is not None else "",
        "note_form": note_form or NoteForm(),
        "reviews": reviews,
        "pending_review": pending_review,
        "review_form": review_form or ReviewRequestForm(),
        "decide_form": decide_form or ReviewDecideForm(),
        "is_reviewer": is_reviewer,
        "review_groups": [g for g in {o.group_label for o in OUTCOMES.values() if selectors.legal_review_required(outcome=o.code)}],
        "letter_after": LETTER_AFTER,
        "consultation_letter_kind": "consultation_third_party",
    }, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, _case(request, pk))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, type: str) -> HttpResponse:
    application = _case(request, pk)
    form_class = ACTION_FORMS.get(type)
    if form_class is None:
        raise Http404
    if not selectors.application_may_handle(user=request.user, application=application):
        raise PermissionDenied("您不是该机关的依申请公开办理人员。")
    form = form_class(request.POST, application=application)
    done = _case_action(request, form, pk, lambda: services.application_record_event(
        application=application, by=request.user, type=type, occurred_on=form.cleaned_data["occurred_on"],
        fields=form.event_fields(), note=form.cleaned_data["note"],
        expected_version=form.cleaned_data["expected_version"],
    ), success=f"已记录：{EVENT_TYPES[type]}。", anchor="timeline")
    if done:
        return done
    application.refresh_from_db()
    return _case_page(request, application, bound=form, status=400)


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    form = NoteForm(request.POST)
    done = _case_action(request, form, pk, lambda: intake.case_note_add(
        application=application, by=request.user, text=form.cleaned_data["text"],
    ), success="已添加内部备注。", anchor="notes")
    return done or _case_page(request, application, note_form=form, status=400)


@login_required
@require_POST
def review_request(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    form = ReviewRequestForm(request.POST)
    done = _case_action(request, form, pk, lambda: intake.legal_review_request(
        application=application, by=request.user, **form.cleaned_data,
    ), success="已提交法律审核。", anchor="review")
    return done or _case_page(request, application, review_form=form, status=400)


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    application = _case(request, pk)
    review = application.legal_reviews.filter(pk=review_pk).first()
    if review is None:
        raise Http404
    form = ReviewDecideForm(request.POST)
    done = _case_action(request, form, pk, lambda: intake.legal_review_decide(
        review=review, by=request.user, approve=form.cleaned_data["decision"] == "approve",
        comment=form.cleaned_data["comment"],
    ), success="已记录审核结论。", anchor="review")
    return done or _case_page(request, application, decide_form=form, status=400)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A file of the case, decrypted as it streams (handlers of the case only; the reading is audited)."""
    from urllib.parse import quote

    application = _case(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None or not selectors.application_may_handle(user=request.user, application=application):
        raise Http404
    response = StreamingHttpResponse(services.attachment_open(attachment=attachment, by=request.user),
                                     content_type="application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.name)}"
    response["Cache-Control"] = "private, no-store"
    return response
