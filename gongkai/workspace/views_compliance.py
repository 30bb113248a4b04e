"""Staff pages of the content checks: findings by organisation, with counts and the score.

Kept apart from the rest of the workspace views; the writes go through gongkai.compliance.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.compliance import selectors, services
from gongkai.compliance.explain import rule_explanation
from gongkai.compliance.models import Finding
from gongkai.core.selectors import organisations_for_user, organisations_receiving_applications


@login_required
def findings_overview(request):
    organisations = organisations_for_user(user=request.user).filter(
        pk__in=organisations_receiving_applications().values("pk"))
    rows = selectors.findings_by_organisation(organisations=organisations)
    noise = selectors.false_alarms_by_rule(organisations=organisations_for_user(user=request.user))
    return render(request, "workspace/compliance/overview.html", {"rows": rows, "noise": noise})


@login_required
def findings_list(request, organisation_id: int):
    organisation = get_object_or_404(organisations_for_user(user=request.user), pk=organisation_id)
    findings = list(selectors.findings_open(organisation=organisation)[:500])
    for finding in findings:
        finding.explanation = rule_explanation(finding.rule)
    freshness = selectors.organisation_freshness(organisation=organisation)
    return render(request, "workspace/compliance/findings.html",
                  {"organisation": organisation, "findings": findings, "freshness": freshness})


@login_required
@require_POST
def finding_accept(request, finding_id: int):
    finding = get_object_or_404(Finding, pk=finding_id,
                                organisation__in=organisations_for_user(user=request.user))
    try:
        if request.POST.get("action") == "false_alarm":
            services.finding_false_alarm(finding=finding, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已标记为误报，此后检查该条目时不再报告同一规则的同一原文。")
        else:
            services.finding_accept(finding=finding, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已确认保留。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("workspace:compliance_findings", organisation_id=finding.organisation_id)
