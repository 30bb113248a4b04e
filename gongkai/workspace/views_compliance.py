"""Staff pages of the content checks: findings by organisation, with counts and the score.

Kept apart from the rest of the workspace views; the writes go through gongkai.compliance.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.compliance import selectors, services
from gongkai.compliance.models import Finding
from gongkai.core.selectors import organisations_for_user, organisations_receiving_applications


@login_required
def findings_overview(request):
    organisations = organisations_for_user(user=request.user).filter(
        pk__in=organisations_receiving_applications().values("pk"))
    rows = selectors.findings_by_organisation(organisations=organisations)
    return render(request, "workspace/compliance/overview.html", {"rows": rows})


@login_required
def findings_list(request, organisation_id: int):
    organisation = get_object_or_404(organisations_for_user(user=request.user), pk=organisation_id)
    findings = selectors.findings_open(organisation=organisation)[:500]
    freshness = selectors.organisation_freshness(organisation=organisation)
    return render(request, "workspace/compliance/findings.html",
                  {"organisation": organisation, "findings": findings, "freshness": freshness})


@login_required
@require_POST
def finding_accept(request, finding_id: int):
    finding = get_object_or_404(Finding, pk=finding_id,
                                organisation__in=organisations_for_user(user=request.user))
    try:
        services.finding_accept(finding=finding, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已确认保留。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("workspace:compliance_findings", organisation_id=finding.organisation_id)
