"""办事指南 in the back office: every guide of one's organisations with its missing elements; edit, publish;
and the 一件事 packages that string guides of several departments together by life event."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.catalog import selectors as catalog
from gongkai.catalog import services
from gongkai.catalog.models import ServiceItem, ServicePackage
from gongkai.core.models import Role
from gongkai.core.selectors import organisations_for_user
from gongkai.documents.models import Document

from ..access import staff_required
from .forms import ServiceItemForm, ServicePackageForm

EDITING = {Role.OFFICE_ADMIN, Role.EDITOR}


def _editable(user):
    return organisations_for_user(user=user, roles=EDITING)


@staff_required
def service_list(request):
    items = (ServiceItem.objects.filter(organisation__in=organisations_for_user(user=request.user))
             .select_related("organisation").prefetch_related("basis_documents"))
    editable = set(_editable(request.user).values_list("pk", flat=True))
    rows = [{"item": i, "missing": catalog.service_item_missing(item=i), "key": catalog.service_item_missing_key(item=i),
             "can_edit": i.organisation_id in editable} for i in items]
    return render(request, "workspace/catalog/services.html", {
        "rows": rows, "can_create": bool(editable), "incomplete": sum(1 for r in rows if r["missing"])})


@staff_required
def service_edit(request, pk: int | None = None):
    orgs = _editable(request.user).order_by("path")
    item = get_object_or_404(ServiceItem, pk=pk, organisation__in=orgs) if pk else None
    form = ServiceItemForm(request.POST or None, organisations=orgs,
                           initial=ServiceItemForm.initial_for(item) if item else {"organisation": orgs.first()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        index_nos = [x.strip() for x in data.pop("basis_index_nos").splitlines() if x.strip()]
        docs = list(Document.objects.filter(index_no__in=index_nos, status="published"))
        unknown = set(index_nos) - {d.index_no for d in docs}
        org, code = data.pop("organisation"), data.pop("code")
        data["materials"] = form.materials_list()
        if item is not None and code != item.code:
            form.add_error("code", "事项编码不能修改")
        elif unknown:
            form.add_error("basis_index_nos", "文件库中没有已发布的文件：" + "、".join(sorted(unknown)))
        else:
            try:
                saved = services.service_item_save(organisation=org, code=code, by=request.user, basis_documents=docs, **data)
            except ValueError as e:
                form.add_error(None, str(e))
            else:
                missing = catalog.service_item_missing(item=saved)
                if missing:
                    messages.warning(request, f"已保存。还缺少：{'、'.join(missing)}，补齐后才能发布。")
                else:
                    messages.success(request, "已保存，要素齐全，可以发布。")
                return redirect("workspace:catalog_service_edit", pk=saved.pk)
    missing = catalog.service_item_missing(item=item) if item else []
    return render(request, "workspace/catalog/service_form.html", {"form": form, "item": item, "missing": missing})


@staff_required
@require_POST
def service_publish(request, pk: int):
    item = get_object_or_404(ServiceItem, pk=pk, organisation__in=_editable(request.user))
    if request.POST.get("action") == "withdraw":
        services.service_item_withdraw(item=item, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, f"已撤回“{item.name}”。")
        return redirect("workspace:catalog_services")
    try:
        services.service_item_publish(item=item, by=request.user)
    except ValueError as e:
        messages.error(request, f"不能发布：{e}")
        return redirect("workspace:catalog_service_edit", pk=item.pk)
    messages.success(request, f"已发布“{item.name}”。")
    return redirect("workspace:catalog_services")


@staff_required
def package_list(request):
    packages = (ServicePackage.objects.filter(organisation__in=organisations_for_user(user=request.user))
                .select_related("organisation").prefetch_related("steps__item").order_by("audience", "life_stage", "name"))
    editable = set(_editable(request.user).values_list("pk", flat=True))
    rows = [{"package": p, "steps": [s.item for s in sorted(p.steps.all(), key=lambda s: s.position)],
             "can_edit": p.organisation_id in editable} for p in packages]
    return render(request, "workspace/catalog/packages.html", {"rows": rows, "can_create": bool(editable)})


@staff_required
def package_edit(request, pk: int | None = None):
    orgs = _editable(request.user).order_by("path")
    package = get_object_or_404(ServicePackage, pk=pk, organisation__in=orgs) if pk else None
    form = ServicePackageForm(request.POST or None, organisations=orgs,
                              initial=ServicePackageForm.initial_for(package) if package else {"organisation": orgs.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = form.item_codes()
        items = {i.code: i for i in ServiceItem.objects.filter(code__in=codes)}
        taken = ServicePackage.objects.filter(slug=data["slug"]).exclude(pk=package.pk if package else None).exists()
        if package is not None and data["slug"] != package.slug:
            form.add_error("slug", "代码不能修改")
        elif taken:
            form.add_error("slug", "这个代码已被另一个一件事使用")
        elif unknown := [c for c in codes if c not in items]:
            form.add_error("items", "没有这些事项编码的办事指南：" + "、".join(unknown))
        else:
            try:
                saved = services.service_package_save(
                    organisation=data["organisation"], slug=data["slug"], name=data["name"], audience=data["audience"],
                    life_stage=data["life_stage"], items=[items[c] for c in codes], description=data["description"],
                    published=data["published"], by=request.user)
            except ValueError as e:
                form.add_error(None, str(e))
            else:
                drafts = [items[c].name for c in codes if items[c].state != ServiceItem.State.PUBLISHED]
                if drafts:
                    messages.warning(request, "已保存。这些事项的办事指南尚未发布，公开页面暂不列出：" + "、".join(drafts))
                else:
                    messages.success(request, f"已保存“{saved.name}”。")
                return redirect("workspace:catalog_package_edit", pk=saved.pk)
    return render(request, "workspace/catalog/package_form.html", {"form": form, "package": package})
