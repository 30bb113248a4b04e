"""办事服务: service guides by department, by life stage, by audience, 一件事 packages; each guide printable."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from gongkai.catalog import selectors as catalog
from gongkai.catalog.models import ServicePackage
from gongkai.core.models import Organisation
from gongkai.documents.models import LIFE_STAGES, Audience

from ..caching import public_page

AUDIENCES = dict(Audience.choices)


@require_GET
@public_page
def index(request):
    """Every published guide, filtered by department (`org`), audience (`dx`) or life stage (`jd`)."""
    org = None
    if request.GET.get("org"):
        org = Organisation.objects.filter(code=request.GET["org"], is_active=True).first()
        if org is None:
            raise Http404("机关不存在")
    audience = request.GET.get("dx") if request.GET.get("dx") in AUDIENCES else None
    stages = {s for v in LIFE_STAGES.values() for s in v}
    stage = request.GET.get("jd") if request.GET.get("jd") in stages else None
    items = catalog.service_items_public(organisation=org, life_stage=stage, audience=audience)
    filtered = bool(org or audience or stage)
    return render(request, "portal/catalog/services.html", {
        "nav": "banshi", "items": items, "org": org, "audience": audience, "stage": stage, "filtered": filtered,
        "audience_label": AUDIENCES.get(audience, ""), "departments": catalog.service_departments(),
        "life_stages": [(AUDIENCES[k], k, v) for k, v in LIFE_STAGES.items()], "audiences": AUDIENCES,
        "packages": catalog.service_packages_public(),
    })


@require_GET
@public_page
def item(request, code: str):
    service = catalog.service_item_public(code=code)
    if service is None:
        raise Http404("办事指南不存在或已撤回")
    return render(request, "portal/catalog/service.html", {
        "nav": "banshi", "item": service, "packages": service.packages.filter(published=True),
        "audiences": [AUDIENCES.get(a, a) for a in service.audiences]})


@require_GET
@public_page
def package(request, slug: str):
    pkg = get_object_or_404(ServicePackage, slug=slug, published=True)
    return render(request, "portal/catalog/package.html", {
        "nav": "banshi", "package": pkg, "steps": catalog.service_package_steps(package=pkg),
        "audience_label": AUDIENCES.get(pkg.audience, "")})
