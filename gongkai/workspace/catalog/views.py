"""目录与指南 in the back office: each organisation's catalogue, guide findings and standard-catalogue items to act on."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.catalog import selectors as catalog
from gongkai.catalog import services
from gongkai.core.models import Role
from gongkai.core.selectors import organisations_for_user

from ..access import staff_required

LEVELS = ("县级", "乡级")


@staff_required
def overview(request):
    organisations = organisations_for_user(user=request.user).order_by("path")
    acting = set(organisations_for_user(user=request.user, roles={Role.OFFICE_ADMIN}).values_list("pk", flat=True))
    rows = []
    for org in organisations:
        headings = catalog.catalogue_headings(organisation=org)
        rows.append({
            "org": org, "entries": sum(h.count for h in headings), "headings": len(headings),
            "missing": catalog.guide_for(organisation=org).missing,
            "items": catalog.adopted_items(organisation=org).count(),
            "attention": catalog.items_needing_attention(organisation=org),
            "can_act": org.pk in acting,
        })
    return render(request, "workspace/catalog/overview.html", {"rows": rows, "levels": LEVELS})


@staff_required
@require_POST
def adopt(request, pk: int):
    org = organisations_for_user(user=request.user, roles={Role.OFFICE_ADMIN}).filter(pk=pk).first()
    if org is None:
        raise Http404("没有这个机关，或您无权操作")
    level = request.POST.get("level")
    if level not in LEVELS:
        messages.error(request, "请选择公开层级（县级或乡级）。")
        return redirect("workspace:catalog_overview")
    if not catalog.standard_domains().exists():
        services.standard_catalogue_load()
    n = services.standard_catalogue_adopt(organisation=org, level=level, by=request.user)
    messages.success(request, f"{org.name}已采用基层政务公开标准目录（{level}）事项 {n} 项。")
    return redirect("workspace:catalog_overview")
