"""政府公报 in the back office: issues, their contents from the library, publication (the PDF is generated)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.catalog import conf, services
from gongkai.catalog import selectors as catalog
from gongkai.catalog.models import GazetteIssue
from gongkai.core.models import Role
from gongkai.core.selectors import organisations_for_user
from gongkai.documents.models import Document

from ..access import staff_required
from .forms import GazetteContentsForm, GazetteIssueForm


def _orgs(user):
    return organisations_for_user(user=user, roles={Role.OFFICE_ADMIN})


@staff_required
def gazette_list(request):
    orgs = _orgs(request.user)
    issues = GazetteIssue.objects.filter(organisation__in=orgs).select_related("organisation")
    form = GazetteIssueForm(request.POST or None)
    org = orgs.filter(kind="government").first() or orgs.first()
    if request.method == "POST" and org is not None and form.is_valid():
        try:
            issue = services.gazette_issue_create(organisation=org, by=request.user, **form.cleaned_data)
        except ValueError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已新建{issue}，请编排本期文件。")
            return redirect("workspace:catalog_gazette_edit", pk=issue.pk)
    return render(request, "workspace/catalog/gazette.html", {"issues": issues, "form": form, "org": org})


@staff_required
def gazette_edit(request, pk: int):
    issue = get_object_or_404(GazetteIssue, pk=pk, organisation__in=_orgs(request.user))
    articles = catalog.gazette_articles(issue=issue)
    initial = "\n".join(f"{a.section}|{a.document.index_no}" for a in articles)
    form = GazetteContentsForm(request.POST or None, initial={"contents": initial})
    if request.method == "POST" and form.is_valid():
        lines = [line.split("|", 1) for line in form.cleaned_data["contents"].splitlines() if line.strip()]
        pairs = [(p[0].strip(), p[1].strip()) if len(p) == 2 else ("其他", p[0].strip()) for p in lines]
        docs = Document.objects.in_bulk([i for _s, i in pairs], field_name="index_no")
        unknown = [i for _s, i in pairs if i not in docs]
        if unknown:
            form.add_error("contents", "文件库中没有这些索引号：" + "、".join(unknown))
        else:
            try:
                services.gazette_issue_set_articles(issue=issue, articles=[(docs[i], s) for s, i in pairs], by=request.user)
            except ValueError as e:
                form.add_error("contents", str(e))
            else:
                messages.success(request, f"已保存本期目录（{len(pairs)} 篇）。")
                return redirect("workspace:catalog_gazette_edit", pk=issue.pk)
    return render(request, "workspace/catalog/gazette_form.html", {
        "issue": issue, "articles": articles, "form": form, "sections": conf.GAZETTE_SECTIONS})


@staff_required
@require_POST
def gazette_publish(request, pk: int):
    issue = get_object_or_404(GazetteIssue, pk=pk, organisation__in=_orgs(request.user))
    try:
        services.gazette_issue_publish(issue=issue, by=request.user)
    except ValueError as e:
        messages.error(request, f"不能出版：{e}")
        return redirect("workspace:catalog_gazette_edit", pk=issue.pk)
    messages.success(request, f"{issue}已出版（{issue.pages} 页）。")
    return redirect("workspace:catalog_gazette")
