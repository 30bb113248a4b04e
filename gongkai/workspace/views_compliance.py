"""Staff pages of the content checks: findings by organisation, with counts and the score.

Kept apart from the rest of the workspace views; the writes go through gongkai.compliance.services.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.compliance import engine, selectors, services
from gongkai.compliance.explain import rule_explanation
from gongkai.compliance.models import Finding
from gongkai.core.html import html_to_text
from gongkai.core.selectors import organisations_for_user, organisations_receiving_applications
from gongkai.documents.models import Document


class ProofreadForm(forms.Form):
    text = forms.CharField(label="要校对的文字", widget=forms.Textarea(attrs={"rows": 12}), max_length=200_000,
                           help_text="粘贴正文或其中一段。仔细校对比发布前的自动检查提示更多疑似错别字，误报也更多（约 9 倍），"
                                     "请逐条判断；结果不保存。")


@login_required
def proofread(request):
    """仔细校对: the checks at the thorough sensitivity on pasted text, or on a document's body
    (?document=ID); nothing is stored (engine.typo_thresholds explains the two levels)."""
    initial = {}
    document_id = request.GET.get("document", "")
    if document_id.isdigit():
        document = Document.objects.filter(pk=int(document_id), organisation__in=organisations_for_user(
            user=request.user)).first()
        if document is not None:
            initial["text"] = html_to_text(document.body)
    form = ProofreadForm(request.POST or None, initial=initial)
    hits = None
    state = engine.typo_model_state()
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        hits = []
        for hit in engine.check_text(text, sensitivity=engine.THOROUGH):
            hit_context = (text[max(0, hit.start - 12):hit.start], text[hit.start:hit.end], text[hit.end:hit.end + 12])
            hits.append({"hit": hit, "before": hit_context[0], "found": hit_context[1], "after": hit_context[2],
                         "explanation": rule_explanation(hit.rule)})
    return render(request, "workspace/compliance/proofread.html",
                  {"form": form, "hits": hits, "model_warning": state.warning})


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
