"""Staff pages of the annual report: list, draft and edit, checks, review, publish, correct, download."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.models import Role
from gongkai.core.selectors import organisations_for_user, organisations_receiving_applications, user_roles
from gongkai.reports import services
from gongkai.reports.builder import legal_deadline, report_data
from gongkai.reports.models import AnnualReport
from gongkai.reports.render import CONTENT_TYPES, report_file
from gongkai.reports.render.html import report_html_blocks
from gongkai.reports.selectors import report_checks, report_last_year_data, report_latest


class ReportForm(forms.Form):
    section1 = forms.CharField(label="一、总体情况", widget=forms.Textarea(attrs={"rows": 10}), required=False)
    section5 = forms.CharField(label="五、存在的主要问题及改进情况", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    section6 = forms.CharField(label="六、其他需要报告的事项", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    licensing_decisions = forms.IntegerField(label="行政许可本年处理决定数量", min_value=0, required=False)
    penalty_decisions = forms.IntegerField(label="行政处罚本年处理决定数量", min_value=0, required=False)
    enforcement_decisions = forms.IntegerField(label="行政强制本年处理决定数量", min_value=0, required=False)
    fees_amount = forms.DecimalField(label="行政事业性收费本年收费金额（万元）", min_value=0, decimal_places=4, max_digits=14,
                                     required=False)
    figures_source = forms.CharField(label="以上数字的来源", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                     help_text="平台不掌握的数字须注明来源，如“市行政审批局提供”。")


def _visible_report(user, pk: int) -> AnnualReport:
    report = get_object_or_404(AnnualReport.objects.select_related("organisation"), pk=pk)
    if not organisations_for_user(user=user).filter(pk=report.organisation_id).exists():
        raise Http404
    return report


@login_required
def report_list(request):
    organisations = organisations_for_user(user=request.user).filter(
        pk__in=organisations_receiving_applications().values("pk")).order_by("path")
    last_year = timezone.localdate().year - 1
    rows = []
    for organisation in organisations:
        latest = report_latest(organisation=organisation, year=last_year)
        rows.append({
            "organisation": organisation,
            "report": latest,
            "deadline": legal_deadline(organisation=organisation, year=last_year),
            "can_create": latest is None and bool(user_roles(user=request.user, organisation=organisation)
                                                  & services.EDIT_ROLES),
        })
    reports = AnnualReport.objects.filter(organisation__in=organisations).select_related("organisation")[:200]
    return render(request, "workspace/reports/list.html", {"rows": rows, "year": last_year, "reports": reports,
                                                           "today": timezone.localdate()})


@login_required
@require_POST
def report_create(request):
    organisation = get_object_or_404(organisations_for_user(user=request.user), code=request.POST.get("organisation", ""))
    try:
        year = int(request.POST.get("year", ""))
        report = services.report_draft_create(organisation=organisation, year=year, by=request.user)
    except ValueError:
        messages.error(request, "年度无效。")
        return redirect("workspace_reports:list")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
        return redirect("workspace_reports:list")
    messages.success(request, f"已起草{report}，表格数据由平台记录自动生成。")
    return redirect("workspace_reports:detail", pk=report.pk)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or "您没有权限执行此操作。"


@login_required
def report_detail(request, pk: int):
    report = _visible_report(request.user, pk)
    roles = user_roles(user=request.user, organisation=report.organisation)
    can_edit = bool(roles & services.EDIT_ROLES) and report.status == AnnualReport.Status.DRAFT
    form = None
    if can_edit:
        if request.method == "POST":
            form = ReportForm(request.POST)
            if form.is_valid():
                try:
                    services.report_update(report=report, by=request.user, **form.cleaned_data)
                except (ValidationError, PermissionDenied) as exc:
                    messages.error(request, _message(exc))
                else:
                    messages.success(request, "已保存。")
                    return redirect("workspace_reports:detail", pk=report.pk)
        else:
            form = ReportForm(initial={f: getattr(report, f) for f in ReportForm.base_fields})
    elif request.method == "POST":
        raise PermissionDenied
    data = report_data(report)
    checks = data["checks"] if report.is_frozen and "checks" in data else [c.as_dict() for c in report_checks(report=report, data=data)]
    last_year = report_last_year_data(report=report)
    return render(request, "workspace/reports/detail.html", {
        "report": report,
        "data": data,
        "blocks": report_html_blocks(data),
        "checks": checks,
        "failed": [c for c in checks if not c["passed"]],
        "last_year": last_year,
        "form": form,
        "can_edit": can_edit,
        "can_submit": can_edit,
        "can_approve": bool(roles & services.APPROVE_ROLES) and report.status == AnnualReport.Status.IN_REVIEW
        and report.approved_by_id is None and request.user.pk not in {report.created_by_id, report.submitted_by_id},
        "can_publish": bool(roles & services.PUBLISH_ROLES) and report.status == AnnualReport.Status.IN_REVIEW
        and report.approved_by_id is not None,
        "can_correct": bool(roles & services.EDIT_ROLES) and report.status == AnnualReport.Status.PUBLISHED
        and report.source == AnnualReport.Source.PLATFORM,
        "deadline": legal_deadline(organisation=report.organisation, year=report.year),
        "versions": AnnualReport.objects.filter(organisation=report.organisation, year=report.year).order_by("version"),
        "office_admin": Role.OFFICE_ADMIN in roles,
    })


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    report = _visible_report(request.user, pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.report_submit(report=report, by=request.user)
            messages.success(request, "已提交审核。")
        elif action == "return":
            services.report_return(report=report, by=request.user, reason=reason)
            messages.success(request, "已退回修改。")
        elif action == "approve":
            services.report_approve(report=report, by=request.user)
            messages.success(request, "已审核通过，可以发布。")
        elif action == "publish":
            services.report_publish(report=report, by=request.user, accept_warnings=reason)
            messages.success(request, "年度报告已发布，内容已冻结。")
        elif action == "correct":
            report = services.report_correct(report=report, by=request.user, note=reason)
            messages.success(request, f"已生成第 {report.version} 版草稿，请修改后重新提交发布。")
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    return redirect("workspace_reports:detail", pk=report.pk)


@login_required
def report_download(request, pk: int, fmt: str):
    report = _visible_report(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    data = report_data(report)
    if not report.is_frozen:
        data = {**data, "checks": [c.as_dict() for c in report_checks(report=report, data=data)]}
    response = HttpResponse(report_file(data, fmt), content_type=CONTENT_TYPES[fmt])
    filename = f"{report.organisation.code}-{report.year}-v{report.version}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

