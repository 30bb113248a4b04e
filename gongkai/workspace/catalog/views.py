"""目录与指南 in the back office: each organisation's catalogue, guide findings and standard-catalogue items to act on."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.catalog import selectors as catalog
from gongkai.catalog import services
from gongkai.catalog.models import AdoptedItem
from gongkai.core.models import Role
from gongkai.core.selectors import organisation_descendants, organisations_for_user
from gongkai.documents.models import Document

from ..access import staff_required
from .forms import AdoptedItemForm

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


@staff_required
def item_edit(request, pk: int):
    """The office admin adapts an adopted item, assigns its owner and links the content that fulfils it."""
    admin = organisations_for_user(user=request.user, roles={Role.OFFICE_ADMIN})
    item = get_object_or_404(AdoptedItem, pk=pk, organisation__in=admin)
    initial = {"level1": item.level1, "level2": item.level2, "owner": item.owner_id, "active": item.active,
               "time_limit_working_days": item.time_limit_working_days, "changed_on": item.changed_on,
               "index_nos": "\n".join(d.index_no for d in item.documents.all())}
    form = AdoptedItemForm(request.POST or None, initial=initial,
                           organisations=organisation_descendants(organisation=item.organisation).filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        index_nos = [x.strip() for x in data.pop("index_nos").splitlines() if x.strip()]
        docs = list(Document.objects.filter(index_no__in=index_nos, status="published"))
        unknown = set(index_nos) - {d.index_no for d in docs}
        if unknown:
            form.add_error("index_nos", "文件库中没有已发布的文件：" + "、".join(sorted(unknown)))
        else:
            try:
                services.adopted_item_update(item=item, by=request.user, documents=docs, **data)
            except ValueError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, f"已保存事项“{item.level2}”。")
                return redirect("workspace:catalog_overview")
    return render(request, "workspace/catalog/item_form.html", {
        "form": form, "item": item, "state": catalog.adopted_item_state(item=item)})
