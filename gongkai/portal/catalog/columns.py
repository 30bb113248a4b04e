"""重点领域专栏 of an organisation, in its 公开专栏: the list of columns and each column's content."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.catalog import selectors as catalog
from gongkai.catalog.models import KeyAreaColumn

from ..caching import public_page
from .views import _organisation


@require_GET
@public_page
def columns(request, code: str):
    org = _organisation(code)
    rows = []
    for column in catalog.key_area_columns(organisation=org):
        docs = catalog.column_documents(column=column)
        rows.append({"column": column, "count": docs.count(), "latest": list(docs[:3])})
    return render(request, "portal/catalog/columns.html", {"nav": "gongkai", "org": org, "section": "columns", "rows": rows})


@require_GET
@public_page
def column(request, code: str, slug: str):
    org = _organisation(code)
    column = KeyAreaColumn.objects.filter(organisation=org, slug=slug, active=True).first()
    if column is None:
        raise Http404("专栏不存在")
    state = catalog.column_state(column=column)
    docs = Paginator(catalog.column_documents(column=column), 20).get_page(request.GET.get("page"))
    return render(request, "portal/catalog/column.html", {
        "nav": "gongkai", "org": org, "section": "columns", "column": column, "state": state, "docs": docs})
