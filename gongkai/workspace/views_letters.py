"""Staff pages for letters, fees, follow-up visits, request clusters and statistics.

Thin views: they validate input and call the services and selectors of gongkai.applications. Every
case page is limited to the cases the user may see (`application_visible_to`), and only handlers of
the case reach the applicant's details (the letters address the applicant by name).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications import clusters as clusters_mod
from gongkai.applications import fees, letters, reminders, services
from gongkai.applications import statistics as statistics_mod
from gongkai.applications.letter_models import (
    FEE_BASES,
    FOLLOW_UP_METHODS,
    FOLLOW_UP_RESULTS,
    LETTER_KINDS,
    Letter,
)
from gongkai.applications.selectors import application_may_handle, application_visible_to
from gongkai.core.models import Organisation, Role
from gongkai.core.selectors import organisations_for_user
from gongkai.core.services import audit_personal_data_read


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _case(request, pk: int):
    application = get_object_or_404(application_visible_to(request.user).select_related("organisation"), pk=pk)
    if not application_may_handle(user=request.user, application=application):
        raise PermissionDenied
    return application


class LetterForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    recipient = forms.CharField(label="称谓（抬头）", max_length=200)
    opening = forms.CharField(label="申请情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    decision = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 10}))
    remedy = forms.CharField(label="救济途径", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    closing = forms.CharField(label="联系方式", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    signature = forms.CharField(label="落款机关", max_length=200)


class FeeForm(forms.Form):
    basis = forms.ChoiceField(label="计收方式", choices=list(FEE_BASES.items()))
    pages = forms.IntegerField(label="页数（按量计收）", min_value=0, required=False)
    issued_on = forms.DateField(label="通知日期", widget=forms.DateInput(attrs={"type": "date"}))
    notice_received_on = forms.DateField(label="申请人收到通知日期", widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="缴费日期", widget=forms.DateInput(attrs={"type": "date"}))
    receipt_no = forms.CharField(label="缴费凭证号", max_length=100, required=False)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label="回访方式", choices=list(FOLLOW_UP_METHODS.items()))
    result = forms.ChoiceField(label="回访结果", choices=list(FOLLOW_UP_RESULTS.items()))
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)


@login_required
def case_letters(request, pk: int):
    """The letters of a case, drafting a new one (optionally in the unified wording), fees and 回访."""
    application = _case(request, pk)
    if request.method == "POST":
        unified = None
        if request.POST.get("unified_from"):
            unified = get_object_or_404(Letter, pk=request.POST["unified_from"], organisation=application.organisation)
        try:
            letter = letters.letter_draft(application=application, kind=request.POST.get("kind", ""), by=request.user,
                                          unified_from=unified)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("workspace:letters_case", pk=pk)
        messages.success(request, "已生成文书草稿，请核对修改后发出。")
        return redirect("workspace:letter_edit", pk=letter.pk)
    today = timezone.localdate()
    return render(request, "workspace/letters/case.html", {
        "application": application,
        "letters": letters.letters_for_application(application=application),
        "kinds": LETTER_KINDS,
        "candidates": letters.unified_reply_candidates(application=application),
        "fee_notices": application.fee_notices.all(),
        "follow_ups": reminders.follow_ups_for(application=application),
        "follow_up_form": FollowUpForm(initial={"visited_on": today}),
    })


@login_required
def letter_edit(request, pk: int):
    letter = get_object_or_404(Letter.objects.select_related("application__organisation"), pk=pk)
    application = _case(request, letter.application_id)
    if request.method == "POST" and letter.status == Letter.Status.DRAFT:
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                letter = letters.letter_update(letter=letter, by=request.user, **form.cleaned_data)
                if request.POST.get("action") == "send":
                    letter = letters.letter_send(letter=letter, by=request.user)
                    messages.success(request, f"文书已发出：{letter.number}")
                else:
                    messages.success(request, "已保存。")
                return redirect("workspace:letter_edit", pk=letter.pk)
            except ValidationError as exc:
                _errors(request, exc)
    else:
        form = LetterForm(initial={f: getattr(letter, f) for f in letters.EDITABLE})
    # The letter names and addresses the applicant (issue 15.8).
    audit_personal_data_read(actor=request.user, obj=application, organisation=application.organisation,
                             what=f"文书：{letter.title}", ip_address=request.META.get("REMOTE_ADDR"))
    return render(request, "workspace/letters/letter.html", {
        "application": application, "letter": letter, "form": form,
        "problems": letters.letter_problems(letter=letter) if letter.status == Letter.Status.DRAFT else [],
        "text": letters.letter_plain_text(letter),
    })


@login_required
def letter_download(request, pk: int, fmt: str):
    letter = get_object_or_404(Letter, pk=pk)
    application = _case(request, letter.application_id)
    audit_personal_data_read(actor=request.user, obj=application, organisation=application.organisation,
                             what=f"文书下载（{fmt}）：{letter.title}", ip_address=request.META.get("REMOTE_ADDR"))
    if fmt == "preview":
        response = HttpResponse(letters.letter_preview_pdf(letter=letter), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response
    try:
        content, name, content_type = letters.letter_file(letter=letter, fmt=fmt)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
def case_fees(request, pk: int):
    """Quote, issue the fee notice, record payment or lapse."""
    application = _case(request, pk)
    pending = fees.fee_pending(application=application)
    today = timezone.localdate()
    form = FeeForm(initial={"issued_on": today, "notice_received_on": today})
    payment_form = PaymentForm(initial={"paid_on": today})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                form = FeeForm(request.POST)
                if form.is_valid():
                    notice = services.fee_notice_issue(application=application, by=request.user, **form.cleaned_data)
                    messages.success(request, f"已发出收费通知（{notice.amount} 元），请核对收费通知书后发出。")
                    return redirect("workspace:letter_edit", pk=notice.letter_id)
            elif action == "paid" and pending:
                payment_form = PaymentForm(request.POST)
                if payment_form.is_valid():
                    services.fee_payment_record(fee_notice=pending, by=request.user, **payment_form.cleaned_data)
                    messages.success(request, "已记录缴费，答复期限恢复计算。")
                    return redirect("workspace:letters_fees", pk=pk)
            elif action == "lapse" and pending:
                services.fee_lapse_record(fee_notice=pending, by=request.user, on=today)
                messages.success(request, "申请人逾期未缴费，本申请不再处理（其他处理）。")
                return redirect("workspace:letters_fees", pk=pk)
        except ValidationError as exc:
            _errors(request, exc)
    quotes = []
    if application.received_on:
        quotes.append(fees.fee_quote(application=application, basis="by_item"))
        pages = request.GET.get("pages", "")
        if pages.isdigit():
            quotes.append(fees.fee_quote(application=application, basis="by_volume", pages=int(pages)))
    return render(request, "workspace/letters/fees.html", {
        "application": application, "quotes": quotes, "pending": pending, "form": form,
        "payment_form": payment_form, "notices": application.fee_notices.all(),
        "payment_days": settings.APPLICATION_FEE_PAYMENT_WORKING_DAYS,
    })


@login_required
@require_POST
def case_follow_up(request, pk: int):
    application = _case(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            reminders.follow_up_record(application=application, by=request.user, **form.cleaned_data)
            messages.success(request, "已记录回访。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请完整填写回访记录。")
    return redirect("workspace:letters_case", pk=pk)


def _office_organisations(request) -> list[int]:
    orgs = organisations_for_user(user=request.user, roles={Role.HANDLER})
    if not orgs.exists():
        raise PermissionDenied
    return list(orgs.values_list("pk", flat=True))


@login_required
def request_clusters(request):
    """Clusters of similar requests over the last 12 months, with a one-click proactive-disclosure draft."""
    org_ids = _office_organisations(request)
    if request.method == "POST":
        organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation"), pk__in=org_ids)
        ids = [int(i) for i in request.POST.getlist("application") if i.isdigit()]
        try:
            document = clusters_mod.cluster_draft_start(application_ids=ids, organisation=organisation,
                                                        by=request.user)
            messages.success(request, f"已创建主动公开文件草稿“{document.title}”（索引号 {document.index_no}）。")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc) or "您无权在该机关起草文件。"])))
        return redirect("workspace:letters_clusters")
    return render(request, "workspace/letters/clusters.html", {
        "clusters": clusters_mod.request_clusters(organisation_ids=org_ids)[:50],
    })


@login_required
def statistics_dashboard(request):
    org_ids = _office_organisations(request)
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:  # default: the last twelve calendar months, this one included
        end = today
        start = dt.date(today.year, 1, 1) if today.month == 12 else dt.date(today.year - 1, today.month + 1, 1)
    stats = statistics_mod.application_statistics(organisation_ids=org_ids, start=start, end=end)
    return render(request, "workspace/letters/statistics.html", {
        "stats": stats,
        "month_chart": statistics_mod.column_chart_svg(title="每月收到申请数", items=stats.per_month),
        "org_chart": statistics_mod.bar_chart_svg(title="各机关收到申请数", items=stats.per_organisation[:20]),
        "result_chart": statistics_mod.bar_chart_svg(title="办理结果", items=stats.per_result),
        "on_time_percent": round(stats.on_time_share * 100, 1) if stats.on_time_share is not None else None,
    })
