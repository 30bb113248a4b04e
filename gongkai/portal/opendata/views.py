"""数据开放 on the public site: the faceted catalogue, dataset pages with preview and chart, downloads,
conditional access requests, the Atom feed and the DCAT-AP catalogue."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from gongkai.core.models import Organisation
from gongkai.opendata import conf, dcat, selectors, services
from gongkai.opendata.models import AccessRequest, DataDomain, Dataset, ResourceFile

PAGE_SIZE = 20
DCAT_PAGE = 100
FACETS = [("organization", "提供单位"), ("groups", "数据领域"), ("tags", "标签"), ("res_format", "格式"),
          ("access_level", "开放属性")]


def _url(request):
    base = f"{request.scheme}://{request.get_host()}"
    return lambda name, args: base + reverse(name, args=args)


def dataset_list(request):
    q = request.GET.get("q", "").strip()[:200]
    filters = {key: request.GET.getlist(key) for key, _ in FACETS if request.GET.getlist(key)}
    try:
        page_no = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_no = 1
    sort = request.GET.get("sort", "")
    sort_param = {"new": "metadata_modified desc", "downloads": "views_recent desc", "title": "title_string asc"}.get(sort, "")
    result = selectors.dataset_search(q=q, filters=filters, rows=PAGE_SIZE, start=(page_no - 1) * PAGE_SIZE,
                                      sort=sort_param, facet_fields=[k for k, _ in FACETS], facet_limit=12)
    names = {"organization": dict(Organisation.objects.values_list("code", "name")),
             "groups": dict(DataDomain.objects.values_list("name", "title")),
             "access_level": dict(Dataset.Access.choices)}
    facets = []
    for key, label in FACETS:
        items = []
        for v, n in result.facets.get(key, {}).items():
            params = request.GET.copy()
            params.pop("page", None)
            chosen = params.getlist(key)
            params.setlist(key, [c for c in chosen if c != v] if v in chosen else [*chosen, v])
            items.append({"value": v, "label": names.get(key, {}).get(v, v), "count": n, "active": v in chosen,
                          "url": "?" + params.urlencode()})
        facets.append({"key": key, "label": label, "items": items})
    pages = max(1, -(-result.count // PAGE_SIZE))
    return render(request, "portal/opendata/list.html", {
        "nav": "opendata", "q": q, "result": result, "facets": facets, "filters": filters, "page_no": page_no,
        "pages": pages, "sort": sort, "query_string": request.GET.urlencode(),
    })


def _public_dataset(name: str) -> Dataset:
    dataset = Dataset.objects.select_related("organisation", "topic__parent").filter(
        name=name, state__in=[Dataset.State.PUBLISHED, Dataset.State.WITHDRAWN]).first()
    if dataset is None:
        raise Http404("数据集不存在")
    return dataset


def dataset_page(request, name: str):
    dataset = _public_dataset(name)
    resources = []
    for resource in dataset.resources.prefetch_related("files"):
        files = [f for f in resource.files.all() if not f.withheld]
        entry = {"resource": resource, "files": files, "preview": None, "chart": None}
        if dataset.access_level == Dataset.Access.OPEN and dataset.state == Dataset.State.PUBLISHED:
            entry["preview"] = selectors.resource_preview(resource=resource)
            entry["chart"] = selectors.resource_chart(resource=resource)
        resources.append(entry)
    base = f"{request.scheme}://{request.get_host()}"
    first_table = next((r["resource"] for r in resources if r["resource"].datastore_table), None)
    return render(request, "portal/opendata/dataset.html", {
        "nav": "opendata", "dataset": dataset, "resources": resources, "base": base, "first_table": first_table,
        "licence": conf.licence(dataset.licence_id), "licence_text": conf.licence_text(),
        "quality": dataset.quality or {}, "tags": dataset.tags.all(), "domains": dataset.domains.all(),
    })


def licence(request):
    return render(request, "portal/opendata/licence.html", {"nav": "opendata", "licences": conf.LICENCES,
                                                            "licence_text": conf.licence_text()})


def _file_response(record: ResourceFile) -> FileResponse:
    return FileResponse(record.file.open("rb"), as_attachment=True, filename=record.original_name)


def download(request, pk: int, version: int):
    record = get_object_or_404(ResourceFile.objects.select_related("resource__dataset"), resource_id=pk, version=version)
    dataset = record.resource.dataset
    if dataset.state != Dataset.State.PUBLISHED or record.withheld:
        raise Http404("文件不存在或不对外提供")
    if dataset.access_level != Dataset.Access.OPEN:
        return render(request, "portal/opendata/conditional.html", {"nav": "opendata", "dataset": dataset}, status=403)
    services.dataset_count_download(dataset=dataset)
    return _file_response(record)


def download_granted(request, token: str, pk: int):
    grant = AccessRequest.objects.select_related("dataset").filter(
        token=token, status=AccessRequest.Status.APPROVED).first() if token else None
    if grant is None or grant.expires_at is None or grant.expires_at <= timezone.now():
        raise Http404("下载链接无效或已过期")
    record = ResourceFile.objects.filter(resource_id=pk, resource__dataset=grant.dataset, withheld=False).order_by(
        "-version").first()
    if record is None or grant.dataset.state != Dataset.State.PUBLISHED:
        raise Http404("文件不存在")
    services.dataset_count_download(dataset=grant.dataset)
    return _file_response(record)


def access_request(request, name: str):
    dataset = _public_dataset(name)
    if dataset.access_level != Dataset.Access.CONDITIONAL:
        raise Http404("该数据集无需申请")
    errors, done = [], None
    values = {k: request.POST.get(k, "").strip() for k in ("name", "organisation", "email", "phone", "purpose")}
    if request.method == "POST":
        try:
            done = services.access_request_create(dataset=dataset, **values)
        except ValidationError as exc:
            errors = exc.messages
    return render(request, "portal/opendata/request.html", {"nav": "opendata", "dataset": dataset, "errors": errors,
                                                            "done": done, "values": values})


def dataset_dcat(request, name: str, fmt: str):
    if fmt not in dcat.SERIALISERS:
        raise Http404("格式应为 jsonld、ttl 或 rdf")
    dataset = _public_dataset(name)
    body, mime = dcat.serialise(dcat.dataset_graph(dataset, url=_url(request)), fmt)
    return HttpResponse(body, content_type=f"{mime}; charset=utf-8")


def catalog(request, fmt: str):
    if fmt not in dcat.SERIALISERS:
        raise Http404("格式应为 jsonld、ttl 或 rdf")
    qs = selectors.datasets_public().select_related("organisation").prefetch_related("tags", "domains", "resources").order_by("-modified_at", "-id")
    paginator = Paginator(qs, DCAT_PAGE)
    try:
        page = paginator.page(int(request.GET.get("page", "1")))
    except (ValueError, Exception) as exc:
        raise Http404("页码无效") from exc
    base = f"{request.scheme}://{request.get_host()}"
    page_url = lambda n: f"{base}{reverse('portal:opendata_catalog', args=[fmt])}?page={n}"  # noqa: E731
    g = dcat.catalog_graph(page.object_list, url=_url(request), page=page.number, per_page=DCAT_PAGE,
                           total=paginator.count, page_url=page_url)
    body, mime = dcat.serialise(g, fmt)
    return HttpResponse(body, content_type=f"{mime}; charset=utf-8")


class DatasetFeed(Feed):
    feed_type = Atom1Feed
    title = "政务公开平台 · 数据开放 · 新增与更新的数据集"
    subtitle = "新发布或更新的开放数据集"

    def link(self):
        return reverse("portal:opendata_list")

    def items(self):
        return selectors.datasets_public().select_related("organisation").order_by("-modified_at", "-id")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.organisation.name} · 第 {item.version} 版 · {item.notes[:200]}"

    def item_link(self, item):
        return reverse("portal:opendata_dataset", args=[item.name])

    def item_updateddate(self, item):
        return item.modified_at

    def item_pubdate(self, item):
        return item.published_at or item.created_at
