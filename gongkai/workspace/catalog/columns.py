"""重点领域专栏 in the back office: each column's state against its rules; the 政务公开办 sets them up."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.catalog import selectors as catalog
from gongkai.catalog import services
from gongkai.catalog.models import KeyAreaColumn
from gongkai.core.models import Role
from gongkai.core.selectors import organisations_for_user

from ..access import staff_required
from .forms import ColumnForm


def _admin_orgs(user):
    return organisations_for_user(user=user, roles={Role.OFFICE_ADMIN})


@staff_required
def columns(request):
    acting = set(_admin_orgs(request.user).values_list("pk", flat=True))
    rows = []
    for org in organisations_for_user(user=request.user).order_by("path"):
        check = catalog.columns_check(organisation=org)
        if check.states or org.pk in acting:
            rows.append({"org": org, "check": check, "can_act": org.pk in acting})
    return render(request, "workspace/catalog/columns.html", {"rows": rows})


@staff_required
@require_POST
def columns_seed(request, pk: int):
    org = _admin_orgs(request.user).filter(pk=pk).first()
    if org is None:
        raise Http404("没有这个机关，或您无权操作")
    n = services.key_area_columns_seed(organisation=org, by=request.user)
    messages.success(request, f"{org.name}新设重点领域专栏 {n} 个。")
    return redirect("workspace:catalog_columns")


@staff_required
def column_edit(request, pk: int):
    column = get_object_or_404(KeyAreaColumn, pk=pk, organisation__in=_admin_orgs(request.user))
    form = ColumnForm(request.POST or None, initial=ColumnForm.initial_for(column))
    if request.method == "POST" and form.is_valid():
        try:
            services.key_area_column_save(organisation=column.organisation, slug=column.slug, by=request.user,
                                          **form.cleaned_data)
        except ValueError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"已保存专栏“{form.cleaned_data['name']}”。")
            return redirect("workspace:catalog_columns")
    return render(request, "workspace/catalog/column_form.html", {"form": form, "column": column,
                                                                   "state": catalog.column_state(column=column)})
