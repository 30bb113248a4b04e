"""政民互动 in the back office (issue 21): the inbox per box with due dates and overdue flags, a message
with its clock explained, every step (受理/不予受理/分配/转办/退回/答复/公开/撤回公开) through the one door,
similar answered messages when replying, the 3-month rule, statistics and hot topics, and 找错 reports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core import workdays
from gongkai.core.forms import form_add_service_errors
from gongkai.core.models import Organisation, User
from gongkai.core.selectors import organisation_descendants, organisations_for_user
from gongkai.core.services import audit_record
from gongkai.interaction import conf, selectors, services
from gongkai.interaction.models import (
    ErrorReport,
    Interview,
    InterviewQuestion,
    Mailbox,
    Message,
    MessageAttachment,
)

from ..access import staff_required
from ..forms import error_text
from . import forms

PAGE_SIZE = 30
FILTERS = {"open": "待办", "overdue": "已超期", "replied": "已答复", "invalid": "无效留言", "all": "全部"}


def _message(request, pk: int) -> Message:
    return get_object_or_404(selectors.messages_for_user(user=request.user), pk=pk)


@staff_required
def inbox(request):
    today = timezone.localdate()
    qs = selectors.messages_for_user(user=request.user)
    boxes = Mailbox.objects.filter(pk__in=qs.values("mailbox_id")).order_by("organisation__path", "name")
    box = boxes.filter(pk=request.GET.get("box")).first() if request.GET.get("box", "").isdigit() else None
    if box is not None:
        qs = qs.filter(mailbox=box)
    show = request.GET.get("show", "open")
    show = show if show in FILTERS else "open"
    if show == "open":
        qs = qs.filter(status__in=["submitted", "accepted"]).order_by("due_on", "submitted_at")
    elif show == "overdue":
        qs = qs.filter(status__in=["submitted", "accepted"], due_on__lt=today).order_by("due_on", "submitted_at")
    elif show == "replied":
        qs = qs.filter(status__in=["replied", "published"]).order_by("-replied_at")
    elif show == "invalid":
        qs = qs.filter(status="invalid")
    if request.GET.get("mine"):
        qs = qs.filter(assignee=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for m in page.object_list:
        left = None
        if m.status in {"submitted", "accepted"} and m.due_on:
            left = workdays.working_days_between(today, m.due_on) if m.due_on >= today else -(today - m.due_on).days
        rows.append((m, left, -left if left is not None and left < 0 else 0))
    return render(request, "workspace/interaction/inbox.html", {
        "page": page, "rows": rows, "boxes": boxes, "box": box, "show": show, "filters": FILTERS, "today": today,
        "counts": selectors.open_messages_count(user=request.user), "mine": bool(request.GET.get("mine")),
        "reports_open": selectors.error_reports_for_user(user=request.user).exclude(status="closed").count(),
    })


def _handlers(message: Message):
    return User.objects.filter(memberships__organisation=message.organisation,
                               memberships__role__in=services.HANDLING_ROLES).distinct().order_by("username")


def _forward_targets(message: Message):
    return organisation_descendants(organisation=message.mailbox.organisation).exclude(pk=message.organisation_id)


def _detail(request, message: Message, *, forms_: dict | None = None, contact=None, status: int = 200):
    forms_ = forms_ or {}
    c = selectors.message_clock(message=message)
    is_open = message.status in {"submitted", "accepted"}
    similar = selectors.similar_answered(message=message) if is_open else []
    identical = selectors.similar_open(message=message) if is_open and message.group_of_id is None else []
    context = {
        "m": message, "clock": c, "events": message.events.select_related("by"), "contact": contact,
        "attachments": message.attachments.all(), "similar": similar, "identical": identical,
        "grouped": message.grouped.all(), "today": timezone.localdate(),
        "reject_form": forms_.get("rejected") or forms.RejectForm(),
        "forward_form": forms_.get("forwarded") or forms.ForwardForm(organisations=_forward_targets(message)),
        "handback_form": forms_.get("handed_back") or forms.ReasonForm(prefix="hb"),
        "reply_form": forms_.get("replied") or forms.ReplyForm(initial={"text": message.reply_text}),
        "assign_form": forms_.get("assigned") or forms.AssignForm(users=_handlers(message)),
        "unpublish_form": forms_.get("unpublished") or forms.ReasonForm(prefix="up"),
        "may_publish": bool(message.mailbox.publish_replies and message.consent_publish),
    }
    return render(request, "workspace/interaction/message.html", context, status=status)


@staff_required
def message_detail(request, pk: int):
    return _detail(request, _message(request, pk))


@staff_required
@require_POST
def message_action(request, pk: int, action: str):
    message = _message(request, pk)
    action = {"accept": "accepted", "reject": "rejected", "forward": "forwarded", "hand-back": "handed_back",
              "reply": "replied", "publish": "published", "unpublish": "unpublished", "assign": "assigned",
              "contact": "contact", "group": "group"}.get(action)
    if action is None:
        raise Http404
    if action == "group":
        other = get_object_or_404(selectors.messages_for_user(user=request.user), pk=request.POST.get("other") or 0)
        try:
            services.message_group(message=other, into=None if request.POST.get("ungroup") else message,
                                   by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已取消合并。" if request.POST.get("ungroup") else f"已将 {other.tracking_code} 并入本条，答复本条时一并答复。")
        return redirect("workspace:interaction_message", pk=pk)
    if action == "contact":
        try:
            contact = services.contact_reveal(message=message, by=request.user)
        except PermissionDenied as exc:
            messages.error(request, error_text(exc))
            return redirect("workspace:interaction_message", pk=pk)
        return _detail(request, message, contact=contact or {"": "未留联系方式"})
    form, fields, note = None, {}, ""
    if action == "rejected":
        form = forms.RejectForm(request.POST)
    elif action == "forwarded":
        form = forms.ForwardForm(request.POST, organisations=_forward_targets(message))
    elif action in {"handed_back", "unpublished"}:
        form = forms.ReasonForm(request.POST, prefix="hb" if action == "handed_back" else "up")
    elif action == "replied":
        form = forms.ReplyForm(request.POST)
    elif action == "assigned":
        form = forms.AssignForm(request.POST, users=_handlers(message))
    if form is not None:
        if not form.is_valid():
            return _detail(request, message, forms_={action: form}, status=400)
        fields = dict(form.cleaned_data)
        note = fields.pop("note", "")
    try:
        services.message_act(message=message, type=action, by=request.user, note=note, **fields)
    except (ValidationError, PermissionDenied) as exc:
        if form is not None:
            form.add_error(None, error_text(exc))
            return _detail(request, message, forms_={action: form}, status=400)
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已{services.clock.EVENT_TYPES[action]}。")
    return redirect("workspace:interaction_message", pk=pk)


@staff_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk,
                                   message__in=selectors.messages_for_user(user=request.user))
    audit_record(actor=request.user, action="interaction.attachment_read", obj=attachment.message,
                 organisation=attachment.message.organisation, after={"attachment": attachment.pk})
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


def _org_ids(user) -> set[int]:
    return set(organisations_for_user(user=user).values_list("pk", flat=True))


@staff_required
def overdue(request):
    """RULES §5 互动回应差: valid messages of the last year unanswered for over 3 months."""
    today = timezone.localdate()
    ids = _org_ids(request.user)
    found = selectors.unanswered_over_limit(today=today, organisation_ids=ids)
    return render(request, "workspace/interaction/overdue.html", {
        "found": found, "summary": selectors.three_month_summary(today=today, organisation_ids=ids), "today": today,
        "months": conf.UNANSWERED_LIMIT_MONTHS, "lookback": conf.UNANSWERED_LOOKBACK_MONTHS,
    })


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@staff_required
def statistics(request):
    today = timezone.localdate()
    until = _date(request.GET.get("until"), today)
    since = _date(request.GET.get("since"), until - dt.timedelta(days=365))
    ids = _org_ids(request.user)
    names = set(Organisation.objects.filter(pk__in=ids).values_list("name", flat=True))
    rows = [s for s in selectors.statistics(since=since, until=until, today=today) if s.organisation in names]
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(until, dt.time.max))
    over = [o for o in selectors.unanswered_over_limit(today=until, organisation_ids=ids)
            if since <= timezone.localdate(o.message.submitted_at) <= until]
    return render(request, "workspace/interaction/statistics.html", {
        "since": since, "until": until, "rows": rows, "over": len(over),
        "topics": selectors.hot_topics(since=start, until=end, limit=15),
        "reports": [s for s in selectors.error_report_statistics(since=since, until=until, today=today)
                    if s.organisation in names],
        "distribution": selectors.reply_time_distribution(qs=selectors.messages_for_user(user=request.user).select_related(None).filter(
            replied_at__isnull=False, submitted_at__gte=start, submitted_at__lte=end)),
    })


def _report(request, pk: int) -> ErrorReport:
    return get_object_or_404(selectors.error_reports_for_user(user=request.user), pk=pk)


@staff_required
def report_list(request):
    qs = selectors.error_reports_for_user(user=request.user)
    show = request.GET.get("show", "open")
    if show == "open":
        qs = qs.exclude(status=ErrorReport.Status.CLOSED).order_by("submitted_at")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(r, services.report_clock(r)) for r in page.object_list]
    return render(request, "workspace/interaction/reports.html", {"page": page, "rows": rows, "show": show,
                                                                   "today": today})


def _report_page(request, report: ErrorReport, *, reply_form=None, forward_form=None, status: int = 200):
    return render(request, "workspace/interaction/report.html", {
        "r": report, "clock": services.report_clock(report), "events": report.events.all(),
        "forward_form": forward_form or forms.ForwardForm(
            organisations=organisation_descendants(organisation=report.operator),
            initial={"to": report.page_owner_id}),
        "reply_form": reply_form or forms.ReportReplyForm(),
    }, status=status)


@staff_required
def report_detail(request, pk: int):
    return _report_page(request, _report(request, pk))


@staff_required
@require_POST
def report_action(request, pk: int, action: str):
    report = _report(request, pk)
    if action == "forward":
        form = forms.ForwardForm(request.POST, organisations=organisation_descendants(organisation=report.operator))
        kwargs = {"forward_form": form}
        type_ = "forwarded"
    elif action == "reply":
        form = forms.ReportReplyForm(request.POST)
        kwargs = {"reply_form": form}
        type_ = "replied"
    else:
        raise Http404
    if not form.is_valid():
        return _report_page(request, report, status=400, **kwargs)
    try:
        services.error_report_act(report=report, type=type_, by=request.user, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        form.add_error(None, error_text(exc))
        return _report_page(request, report, status=400, **kwargs)
    messages.success(request, "已转办。" if type_ == "forwarded" else "已办结。")
    return redirect("workspace:interaction_report", pk=pk)


# --- 在线访谈 --------------------------------------------------------------------------------------------------

def _interview_orgs(user):
    return organisations_for_user(user=user, roles=services.HANDLING_ROLES)


@staff_required
def interview_list(request):
    year = timezone.localdate().year
    rows = [(i, selectors.INTERVIEW_STATUS[selectors.interview_status(interview=i)])
            for i in selectors.interviews_for_user(user=request.user)[:100]]
    return render(request, "workspace/interaction/interviews.html", {
        "rows": rows, "year": year, "minimum": conf.INTERVIEWS_PER_YEAR_MIN,
        "counts": selectors.interview_counts(year=year, organisations=organisations_for_user(user=request.user)),
    })


@staff_required
def interview_create(request):
    form = forms.InterviewForm(request.POST or None, organisations=_interview_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已发布访谈预告。")
            return redirect("workspace:interaction_interview", pk=interview.pk)
    return render(request, "workspace/interaction/interview_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _interview(request, pk: int) -> Interview:
    return get_object_or_404(selectors.interviews_for_user(user=request.user), pk=pk)


def _interview_page(request, interview: Interview, *, transcript_form=None, photo_form=None, error: str = "",
                    status: int = 200):
    text = "\n".join(f"{t.speaker}：{t.text}" for t in interview.turns.all())
    return render(request, "workspace/interaction/interview.html", {
        "i": interview, "label": selectors.INTERVIEW_STATUS[selectors.interview_status(interview=interview)],
        "questions": interview.questions.all(), "error": error, "photos": interview.photos.all(),
        "transcript_form": transcript_form or forms.TranscriptForm(initial={"text": text}),
        "photo_form": photo_form or forms.PhotoForm(),
    }, status=status)


@staff_required
def interview_detail(request, pk: int):
    return _interview_page(request, _interview(request, pk))


@staff_required
@require_POST
def interview_action(request, pk: int, action: str):
    interview = _interview(request, pk)
    try:
        if action == "moderate":
            form = forms.ModerateForm(request.POST)
            if not form.is_valid():
                return _interview_page(request, interview, error="请选择采用或不采用。", status=400)
            d = form.cleaned_data
            question = get_object_or_404(InterviewQuestion, pk=d["question"], interview=interview)
            services.interview_question_moderate(question=question, by=request.user, state=d["state"],
                                                 answer=d["answer"], answered_by=d["answered_by"])
        elif action == "transcript":
            form = forms.TranscriptForm(request.POST)
            if not form.is_valid():
                return _interview_page(request, interview, transcript_form=form, status=400)
            services.interview_transcript_save(interview=interview, by=request.user, text=form.cleaned_data["text"])
        elif action == "publish":
            services.interview_transcript_publish(interview=interview, by=request.user)
        elif action == "photo":
            form = forms.PhotoForm(request.POST, request.FILES)
            if not form.is_valid():
                return _interview_page(request, interview, photo_form=form, status=400)
            try:
                services.interview_photo_add(interview=interview, by=request.user, file=form.cleaned_data["photo"],
                                             alt=form.cleaned_data["alt"], caption=form.cleaned_data["caption"])
            except ValidationError as exc:
                form_add_service_errors(form, exc)
                return _interview_page(request, interview, photo_form=form, status=400)
        elif action == "photo-remove":
            photo = get_object_or_404(interview.photos, pk=request.POST.get("photo"))
            services.interview_photo_remove(photo=photo, by=request.user)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        return _interview_page(request, interview, error=error_text(exc), status=400)
    messages.success(request, "已保存。")
    return redirect("workspace:interaction_interview", pk=pk)


# --- 网上调查 --------------------------------------------------------------------------------------------------

@staff_required
def survey_list(request):
    rows = [(sv, selectors.SURVEY_STATUS[selectors.survey_status(survey=sv)], sv.responses.count())
            for sv in selectors.surveys_for_user(user=request.user)[:100]]
    return render(request, "workspace/interaction/surveys.html", {"rows": rows})


@staff_required
def survey_create(request):
    form = forms.SurveyForm(request.POST or None, organisations=_interview_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已发布网上调查。")
            return redirect("workspace:interaction_survey", pk=survey.pk)
    return render(request, "workspace/interaction/survey_form.html", {"form": form},
                  status=400 if form.errors else 200)


@staff_required
def survey_detail(request, pk: int):
    survey = get_object_or_404(selectors.surveys_for_user(user=request.user), pk=pk)
    return render(request, "workspace/interaction/survey.html", {
        "s": survey, "label": selectors.SURVEY_STATUS[selectors.survey_status(survey=survey)],
        "results": selectors.survey_results(survey=survey),
    })


# --- Boxes ----------------------------------------------------------------------------------------------------

@staff_required
def box_list(request):
    boxes = Mailbox.objects.filter(organisation__in=organisations_for_user(user=request.user)).select_related(
        "organisation").order_by("organisation__path", "kind", "id")
    return render(request, "workspace/interaction/boxes.html", {"boxes": boxes})


@staff_required
def box_edit(request, pk: int):
    box = get_object_or_404(Mailbox.objects.filter(organisation__in=organisations_for_user(user=request.user)), pk=pk)
    initial = {"name": box.name, "reply_days": box.reply_days, "publish_replies": box.publish_replies,
               "is_active": box.is_active}
    form = forms.BoxForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mailbox_update(mailbox=box, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已保存信箱设置。")
            return redirect("workspace:interaction_boxes")
    return render(request, "workspace/interaction/box_form.html", {"form": form, "box": box},
                  status=400 if form.errors else 200)
