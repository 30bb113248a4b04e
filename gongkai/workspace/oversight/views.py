"""Oversight in the back office (政务公开办): the assessment dashboard, ranking and per-agency pages with the
items behind every number, the scheme, the work plan, rectification, the public-opinion log, press
conferences and usage statistics. Views validate input and call gongkai.oversight's services/selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.applications.statistics import bar_chart_svg, column_chart_svg
from gongkai.core.selectors import organisations_for_user
from gongkai.oversight import conf, exports, selectors, services
from gongkai.oversight.clocks import incident_clocks, press_plan_due_on, press_plan_on_time
from gongkai.oversight.indicators import indicator_value
from gongkai.oversight.models import AssessmentResult, PlanTask, Rectification, Scheme, UsageDaily
from gongkai.oversight.periods import period_choices, period_parse
from gongkai.oversight.plan_text import draft_rows
from gongkai.oversight.scoring import organisation_score

from ..access import staff_required
from ..forms import apply_service_error, error_text, find_document
from . import forms


def _forbidden(request):
    return render(request, "workspace/forbidden.html", status=403)


def _period(request):
    today = timezone.localdate()
    try:
        return period_parse(request.GET.get("period") or str(today.year))
    except ValidationError:
        return period_parse(str(today.year))


def _scheme(request, period):
    pk = request.GET.get("scheme")
    if pk and pk.isdigit():
        return get_object_or_404(Scheme, pk=int(pk))
    return selectors.scheme_for_year(period.start.year)


def _url(item) -> str:
    if not item.url_name:
        return ""
    try:
        return reverse(item.url_name, args=item.url_args)
    except NoReverseMatch:
        return ""


def _context(request):
    period = _period(request)
    return {"period": period, "periods": period_choices(today=timezone.localdate()), "scheme": _scheme(request, period),
            "schemes": selectors.schemes(), "is_office": selectors.user_is_office(request.user)}


# --- Assessment ---------------------------------------------------------------------------------------------
@staff_required
def dashboard(request):
    ctx = _context(request)
    agencies = selectors.agencies_for_user(request.user)
    scores, chart = [], ""
    if ctx["scheme"] is not None:
        scores = selectors.assessment_ranking(scheme=ctx["scheme"], organisations=agencies, period=ctx["period"])
        chart = bar_chart_svg(title=f"{ctx['period'].label}考核得分", items=[
            (s.organisation.short_name or s.organisation.name, s.total) for s in scores if s.total is not None])
    rules = scores[0].lines if scores else []
    results = AssessmentResult.objects.filter(scheme__in=selectors.schemes()).select_related("scheme")[:10]
    return render(request, "workspace/oversight/dashboard.html", {
        **ctx, "scores": scores, "rules": rules, "chart": chart, "results": results if ctx["is_office"] else [],
        "overdue_tasks": selectors.tasks_overdue(organisations=organisations_for_user(user=request.user))[:10],
        "query": request.GET.urlencode(),
    })


@staff_required
def agency(request, pk: int):
    organisation = get_object_or_404(selectors.agencies_for_user(request.user), pk=pk)
    ctx = _context(request)
    if ctx["scheme"] is None:
        raise Http404
    score = organisation_score(scheme=ctx["scheme"], organisation=organisation, period=ctx["period"])
    return render(request, "workspace/oversight/agency.html", {**ctx, "organisation": organisation, "score": score,
                                                                "query": request.GET.urlencode()})


@staff_required
def items(request, pk: int, code: str):
    organisation = get_object_or_404(selectors.agencies_for_user(request.user), pk=pk)
    if code not in conf.INDICATOR_BY_CODE:
        raise Http404
    ctx = _context(request)
    value = indicator_value(code=code, organisation_ids=[organisation.pk], period=ctx["period"])
    rows = [(item, _url(item)) for item in value.items]
    return render(request, "workspace/oversight/items.html", {**ctx, "organisation": organisation, "value": value,
                                                               "rows": rows, "query": request.GET.urlencode()})


@staff_required
def export(request, fmt: str):
    ctx = _context(request)
    if ctx["scheme"] is None:
        raise Http404
    scores = selectors.assessment_ranking(scheme=ctx["scheme"], organisations=selectors.agencies_for_user(request.user),
                                          period=ctx["period"])
    name = f"kaohe-{ctx['period'].key}"
    if fmt == "xlsx":
        body = exports.ranking_xlsx(scores=scores, scheme=ctx["scheme"], period=ctx["period"])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        body = exports.ranking_pdf(scores=scores, scheme=ctx["scheme"], period=ctx["period"])
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@staff_required
@require_POST
def store(request):
    ctx = _context(request)
    period = period_parse(request.POST.get("period", ctx["period"].key))
    scheme = get_object_or_404(Scheme, pk=request.POST.get("scheme") or 0)
    try:
        result = services.assessment_store(scheme=scheme, period=period, by=request.user,
                                           organisations=selectors.agencies_for_user(request.user))
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
        return redirect(f"{reverse('workspace:oversight_dashboard')}?period={period.key}")
    messages.success(request, f"已保存{period.label}考核结果（方案第 {scheme.version} 版，已锁定）。")
    return redirect("workspace:oversight_result", pk=result.pk)


@staff_required
def result(request, pk: int):
    if not selectors.user_is_office(request.user):
        return _forbidden(request)
    stored = get_object_or_404(AssessmentResult.objects.select_related("scheme", "computed_by"), pk=pk)
    diffs = selectors.result_compare(result=stored) if request.GET.get("compare") else None
    return render(request, "workspace/oversight/result.html", {"result": stored, "diffs": diffs,
                                                                "scores": stored.data.get("scores", [])})


@staff_required
def scheme_edit(request):
    if not selectors.user_is_office(request.user):
        return _forbidden(request)
    year = int(request.GET.get("year") or timezone.localdate().year)
    scheme = selectors.scheme_for_year(year)
    if request.method == "POST" and request.POST.get("seed"):
        scheme = services.scheme_seed(year=year, by=request.user)
        messages.success(request, "已按平台默认方案建立本年度考核方案。")
        return redirect(f"{reverse('workspace:oversight_scheme')}?year={year}")
    existing = {r.code: r for r in scheme.indicators.all()} if scheme else {}
    initial = [{"code": d.code, "include": d.code in existing,
                "weight": existing[d.code].weight if d.code in existing else None,
                "target": existing[d.code].target if d.code in existing else None,
                "deduction": existing[d.code].deduction if d.code in existing else None,
                "veto": existing[d.code].veto if d.code in existing else False} for d in conf.INDICATORS]
    formset = forms.SchemeRuleFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and scheme is not None and formset.is_valid():
        rules = [{k: f.cleaned_data.get(k) for k in ("code", "weight", "target", "deduction", "veto")}
                 for f in formset if f.cleaned_data.get("include")]
        try:
            new = services.scheme_update(scheme=scheme, by=request.user, rules=rules)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已保存考核方案（第 {new.version} 版）。")
            return redirect(f"{reverse('workspace:oversight_scheme')}?year={year}")
    rows = list(zip(conf.INDICATORS, formset.forms, strict=True))
    return render(request, "workspace/oversight/scheme.html", {"scheme": scheme, "year": year, "formset": formset,
                                                                "rows": rows})


# --- Work plan ----------------------------------------------------------------------------------------------
@staff_required
def plan_list(request):
    plans = selectors.plans_for_user(request.user).select_related("organisation")
    office = selectors.office_organisations(request.user)
    form = forms.PlanForm(request.POST or None, organisations=office,
                          initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reference = data.pop("document", "")
        try:
            document = find_document(user=request.user, reference=reference) if reference else None
            plan = services.plan_create(by=request.user, document=document, **data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("workspace:oversight_plan", pk=plan.pk)
    return render(request, "workspace/oversight/plans.html", {
        "plans": plans, "form": form if office.exists() else None,
        "overdue": selectors.tasks_overdue(organisations=organisations_for_user(user=request.user)),
    })


@staff_required
def plan_detail(request, pk: int):
    plan = get_object_or_404(selectors.plans_for_user(request.user).select_related("organisation", "document"), pk=pk)
    may_steer = selectors.user_may_steer(user=request.user, organisation=plan.organisation)
    today = timezone.localdate()
    task_form = forms.TaskForm(request.POST or None, plan=plan, prefix="task",
                               organisations=selectors.office_organisations(request.user)) if may_steer else None
    if request.method == "POST" and task_form is not None and task_form.is_valid():
        try:
            services.task_create(plan=plan, by=request.user, **task_form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            task_form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已添加任务。")
            return redirect("workspace:oversight_plan", pk=plan.pk)
    mine = set(organisations_for_user(user=request.user).values_list("pk", flat=True))
    rows = [(t, depth, selectors.task_overdue(t, today), t.lead_unit_id in mine or any(u.pk in mine for u in t.co_units.all()),
             selectors.task_milestones(t, today))
            for t, depth in selectors.plan_tree(plan)]
    return render(request, "workspace/oversight/plan.html", {
        "plan": plan, "rows": rows, "task_form": task_form, "progress_form": forms.ProgressForm(prefix="p"),
        "summary": selectors.plan_summary(plan=plan, today=today), "today": today,
        "may_steer": may_steer})


@staff_required
def plan_draft(request, pk: int):
    """The task tree read from the plan's published document; the office picks the tasks and their units."""
    plan = get_object_or_404(selectors.plans_for_user(request.user).select_related("organisation", "document"), pk=pk)
    if not selectors.user_may_steer(user=request.user, organisation=plan.organisation):
        return _forbidden(request)
    try:
        rows = draft_rows(services.plan_draft(plan=plan))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("workspace:oversight_plan", pk=plan.pk)
    units = list(selectors.office_organisations(request.user).order_by("path"))
    by_pk = {u.pk: u for u in units}
    errors = []
    if request.method == "POST":
        choices = {}
        for draft, _ in rows:
            if not request.POST.get(f"include-{draft.key}"):
                continue
            lead = by_pk.get(int(request.POST.get(f"lead-{draft.key}") or 0))
            if lead is None:
                errors.append(f"{draft.number}{draft.title}：请选择牵头单位。")
                continue
            raw = request.POST.get(f"deadline-{draft.key}", "")
            try:
                deadline = dt.date.fromisoformat(raw) if raw else None
            except ValueError:
                errors.append(f"{draft.number}{draft.title}：完成时限格式应为 YYYY-MM-DD。")
                continue
            choices[draft.key] = {"lead_unit": lead, "deadline": deadline}
        if not errors:
            try:
                created = services.plan_tasks_from_draft(plan=plan, by=request.user, choices=choices)
            except (ValidationError, PermissionDenied) as exc:
                errors.append(error_text(exc))
            else:
                messages.success(request, f"已按印发文件生成 {len(created)} 项任务。")
                return redirect("workspace:oversight_plan", pk=plan.pk)
    return render(request, "workspace/oversight/plan_draft.html", {
        "plan": plan, "rows": rows, "units": units, "errors": errors, "posted": request.POST})


@staff_required
@require_POST
def task_report(request, pk: int):
    task = get_object_or_404(PlanTask.objects.select_related("plan"), pk=pk,
                             plan__in=selectors.plans_for_user(request.user))
    form = forms.ProgressForm(request.POST, prefix="p")
    if form.is_valid():
        try:
            services.task_report(task=task, by=request.user, text=form.cleaned_data["text"],
                                 evidence=form.cleaned_data["evidence"], completes=form.cleaned_data["completes"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已报送进展。")
    else:
        messages.error(request, "请填写进展情况。")
    return redirect("workspace:oversight_plan", pk=task.plan_id)


@staff_required
@require_POST
def task_milestone(request, pk: int):
    task = get_object_or_404(PlanTask.objects.select_related("plan"), pk=pk,
                             plan__in=selectors.plans_for_user(request.user))
    form = forms.MilestoneForm(request.POST, prefix=f"m{task.pk}")
    if form.is_valid():
        try:
            services.task_milestone_add(task=task, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已添加节点。")
    else:
        messages.error(request, "请填写节点内容和日期。")
    return redirect("workspace:oversight_plan", pk=task.plan_id)


@staff_required
@require_POST
def task_milestone_done(request, pk: int, index: int):
    task = get_object_or_404(PlanTask.objects.select_related("plan"), pk=pk,
                             plan__in=selectors.plans_for_user(request.user))
    try:
        services.task_milestone_done(task=task, by=request.user, index=index)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "已标记节点完成。")
    return redirect("workspace:oversight_plan", pk=task.plan_id)


# --- Rectification ------------------------------------------------------------------------------------------
@staff_required
def rectification_list(request):
    qs = selectors.rectifications_for_user(request.user)
    state = request.GET.get("state", "")
    if state in Rectification.State.values:
        qs = qs.filter(state=state)
    today = timezone.localdate()
    office = selectors.office_organisations(request.user)
    form = forms.RectificationForm(request.POST or None, organisations=office, initial={"found_on": today}) \
        if office.exists() else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            r = services.rectification_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已登记问题并交办。")
            return redirect("workspace:oversight_rectification", pk=r.pk)
    rows = [(r, selectors.rectification_overdue(r, today)) for r in qs.order_by("state", "deadline", "id")[:300]]
    return render(request, "workspace/oversight/rectifications.html", {
        "rows": rows, "form": form, "import_form": forms.ImportForm() if form is not None else None,
        "states": Rectification.State.choices, "state": state})


@staff_required
@require_POST
def rectification_import(request):
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择 XLSX 文件。")
        return redirect("workspace:oversight_rectifications")
    try:
        report = services.rectification_import_xlsx(file=form.cleaned_data["file"], by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    except Exception:  # noqa: BLE001 — a file that is no workbook at all: say so, do not fail the page
        messages.error(request, "无法读取该文件，请上传 XLSX 格式的问题清单。")
    else:
        messages.success(request, f"导入 {report['created']} 条，跳过已导入 {report['skipped']} 条。")
        for line in report["errors"][:20]:
            messages.warning(request, line)
    return redirect("workspace:oversight_rectifications")


@staff_required
@require_POST
def rectification_feed(request):
    office = selectors.office_organisations(request.user)
    if not office.exists():
        return _forbidden(request)
    n = services.rectification_from_content_checks(organisations=office, by=request.user)
    messages.success(request, f"已从内容检查的严重问题生成 {n} 条整改事项。")
    return redirect("workspace:oversight_rectifications")


@staff_required
def rectification_detail(request, pk: int):
    r = get_object_or_404(selectors.rectifications_for_user(request.user), pk=pk)
    answer_form = forms.AnswerForm(request.POST or None, prefix="a") if request.POST.get("step") == "answer" else forms.AnswerForm(prefix="a")
    recheck_form = forms.RecheckForm(request.POST or None, prefix="r") if request.POST.get("step") == "recheck" else forms.RecheckForm(prefix="r")
    if request.method == "POST":
        try:
            if request.POST.get("step") == "answer" and answer_form.is_valid():
                services.rectification_answer(rectification=r, by=request.user, **answer_form.cleaned_data)
                messages.success(request, "已反馈整改情况，等待复核。")
                return redirect("workspace:oversight_rectification", pk=r.pk)
            if request.POST.get("step") == "recheck" and recheck_form.is_valid():
                services.rectification_recheck(rectification=r, by=request.user,
                                               accept=recheck_form.cleaned_data["decision"] == "accept",
                                               note=recheck_form.cleaned_data["note"])
                messages.success(request, "已复核。")
                return redirect("workspace:oversight_rectification", pk=r.pk)
        except ValidationError as exc:
            apply_service_error(answer_form if request.POST.get("step") == "answer" else recheck_form, exc)
        except PermissionDenied as exc:
            messages.error(request, error_text(exc))
    return render(request, "workspace/oversight/rectification.html", {
        "r": r, "events": r.events.select_related("by"), "answer_form": answer_form, "recheck_form": recheck_form,
        "may_recheck": selectors.user_may_steer(user=request.user, organisation=r.organisation),
        "overdue": selectors.rectification_overdue(r, timezone.localdate())})


# --- Public opinion -----------------------------------------------------------------------------------------
@staff_required
def incident_list(request):
    orgs = organisations_for_user(user=request.user)
    form = forms.IncidentForm(request.POST or None, organisations=orgs,
                              initial={"first_seen_at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已登记舆情，回应时钟开始计时。")
            return redirect("workspace:oversight_incident", pk=incident.pk)
    rows = selectors.incidents_with_clocks(selectors.incidents_for_user(request.user)[:100])
    return render(request, "workspace/oversight/incidents.html", {"rows": rows, "form": form,
                                                                   "clock_source": conf.OPINION_CLOCK_SOURCE})


@staff_required
def incident_detail(request, pk: int):
    incident = get_object_or_404(selectors.incidents_for_user(request.user), pk=pk)
    form = forms.ActionForm(request.POST or None, initial={"at": timezone.localtime().replace(second=0, microsecond=0)})
    if request.method == "POST":
        if request.POST.get("close"):
            services.incident_close(incident=incident, by=request.user)
            messages.success(request, "已标记处置完毕。")
            return redirect("workspace:oversight_incident", pk=incident.pk)
        if form.is_valid():
            try:
                services.incident_act(incident=incident, by=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "已记录处置。")
                return redirect("workspace:oversight_incident", pk=incident.pk)
    return render(request, "workspace/oversight/incident.html", {
        "incident": incident, "clocks": incident_clocks(incident=incident), "form": form,
        "actions": incident.actions.select_related("document"), "conferences": incident.conferences.all(),
        "clock_source": conf.OPINION_CLOCK_SOURCE})


@staff_required
def conference_list(request):
    orgs = organisations_for_user(user=request.user)
    form = forms.ConferenceForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_plan(by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已登记发布会方案。")
            return redirect("workspace:oversight_conferences")
    rows = [(c, press_plan_due_on(c), press_plan_on_time(c)) for c in selectors.conferences_for_user(request.user)[:100]]
    return render(request, "workspace/oversight/conferences.html", {
        "rows": rows, "form": form, "transcript_form": forms.TranscriptForm(), "lead_source": conf.PRESS_LEAD_SOURCE})


@staff_required
@require_POST
def conference_transcript(request, pk: int):
    conference = get_object_or_404(selectors.conferences_for_user(request.user), pk=pk)
    form = forms.TranscriptForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写文字实录链接。")
        services.conference_transcript(conference=conference, by=request.user, url=form.cleaned_data["url"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "已登记文字实录。")
    return redirect("workspace:oversight_conferences")


# --- Usage statistics ---------------------------------------------------------------------------------------
@staff_required
def usage(request):
    if not selectors.user_is_office(request.user):
        return _forbidden(request)
    until = timezone.localdate()
    days = 30 if request.GET.get("days") not in {"7", "90", "365"} else int(request.GET["days"])
    since = until - dt.timedelta(days=days - 1)
    views = selectors.usage_per_day(kind=UsageDaily.Kind.PAGE, since=since, until=until)
    top = {kind: selectors.usage_top(kind=kind, since=since, until=until)
           for kind in ("page", "document", "column", "download", "search_zero", "search", "referrer")}
    return render(request, "workspace/oversight/usage.html", {
        "days": days, "since": since, "until": until, "top": top,
        "total_views": sum(n for _, n in views), "total_zero": selectors.usage_total(kind="search_zero", since=since, until=until),
        "chart": column_chart_svg(title=f"近 {days} 日页面访问量", items=[(d.strftime("%m-%d"), n) for d, n in views]),
        "retention": conf.USAGE_RETENTION_DAYS})
