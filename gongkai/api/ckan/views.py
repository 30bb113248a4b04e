"""The CKAN Action API (`/api/3/action/<name>` and `/api/action/<name>`): what CKAN clients (ckanapi,
harvesters, the portals' own tools) call, with CKAN's envelope and error types. docs/opendata.md lists
the actions and where they differ from CKAN's."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from gongkai.core.models import Organisation
from gongkai.documents.models import Topic
from gongkai.opendata import conf, selectors, services
from gongkai.opendata.datastore import QueryError
from gongkai.opendata.models import DataDomain, Dataset, DatasetTag, Resource

from ..authentication import api_key_user
from .serializers import CKAN_TYPES, EXTRA_FIELDS, organisation_dict, package_dict, resource_dict

CKAN_VERSION = "2.10.4"


class ActionError(Exception):
    status = 400
    kind = "Validation Error"

    def __init__(self, message, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(ActionError):
    status = 404
    kind = "Not Found Error"


class NotAuthorized(ActionError):
    status = 403
    kind = "Authorization Error"


class SearchQueryError(ActionError):
    status = 409
    kind = "Search Query Error"


ACTIONS: dict[str, Callable] = {}


def action(fn):
    ACTIONS[fn.__name__] = fn
    return fn


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _user(request: HttpRequest, *, required: bool):
    key = request.headers.get("X-CKAN-API-Key") or request.headers.get("Authorization", "")
    key = key.split()[-1] if key.strip() else ""
    if not key:
        if required:
            raise NotAuthorized("需要 API 密钥（请求头 Authorization: <密钥>）。")
        return None
    try:
        user, _ = api_key_user(key)
    except exceptions.AuthenticationFailed as exc:
        raise NotAuthorized(str(exc.detail)) from exc
    return user


def _params(request: HttpRequest) -> tuple[dict, dict]:
    if request.method == "GET":
        data = {key: (values if len(values) > 1 else values[0]) for key, values in request.GET.lists()}
        return data, {}
    if request.content_type == "multipart/form-data" or request.FILES:
        return {key: request.POST.get(key) for key in request.POST}, request.FILES
    if not request.body:
        return {}, {}
    try:
        data = json.loads(request.body)
    except ValueError as exc:
        raise ActionError("请求体不是有效的 JSON。") from exc
    if not isinstance(data, dict):
        raise ActionError("请求体应为 JSON 对象。")
    return data, {}


def _json_param(value, default):
    if value is None or value == "":
        return default
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ActionError(f"参数不是有效的 JSON：{value[:50]}") from exc
    return value


def _int(data: dict, name: str, default: int, maximum: int | None = None) -> int:
    try:
        value = int(data.get(name, default))
    except (TypeError, ValueError) as exc:
        raise ActionError(f"参数 {name} 应为整数", {name: ["应为整数"]}) from exc
    if value < 0:
        raise ActionError(f"参数 {name} 不能为负数", {name: ["不能为负数"]})
    return min(value, maximum) if maximum is not None else value


def _bool(value) -> bool:
    return str(value).lower() in ("true", "1", "yes", "on")


def _dataset(data: dict, user, key: str = "id") -> Dataset:
    ref = data.get(key) or data.get("name") or data.get("id")
    if not ref:
        raise ActionError(f"缺少参数 {key}", {key: ["Missing value"]})
    dataset = selectors.dataset_get(ref=str(ref), user=user)
    if dataset is None:
        raise NotFound(f"数据集不存在：{ref}")
    return dataset


def _resource(data: dict, user, key: str = "id") -> Resource:
    ref = str(data.get(key) or "")
    if not ref.isdigit():
        raise NotFound(f"资源不存在：{ref}")
    resource = Resource.objects.select_related("dataset__organisation").filter(pk=int(ref)).first()
    if resource is None or not selectors.datasets_for_user(user=user).filter(pk=resource.dataset_id).exists():
        raise NotFound(f"资源不存在：{ref}")
    return resource


def _fields_from(data: dict, *, full: bool) -> dict:
    """Our fields from a CKAN package dict (top level or extras); `full` resets what is not given."""
    fields: dict = {}
    extras = {e.get("key"): e.get("value") for e in (data.get("extras") or []) if isinstance(e, dict)}
    mapping = {"title": "title", "notes": "notes", "license_id": "licence_id", "maintainer": "contact_name",
               "maintainer_email": "contact_email"}
    for key, ours in mapping.items():
        if key in data:
            fields[ours] = data[key] or ""
        elif full and key != "title":
            fields[ours] = conf.DEFAULT_LICENCE_ID if key == "license_id" else ""
    for key in EXTRA_FIELDS:
        if key in data:
            fields[key] = data[key]
        elif key in extras:
            fields[key] = extras.pop(key)
    extras.pop("quality_score", None)
    topic = extras.pop("topic", None) or data.get("topic")
    if topic:
        found = Topic.objects.filter(code=topic).first() or Topic.objects.filter(name=str(topic).split("\\")[-1]).first()
        fields["topic"] = found
    if extras or full or "extras" in data:
        fields["extras"] = {str(k): v for k, v in extras.items() if k}
    return fields


def _tags(data: dict, *, full: bool) -> list[str] | None:
    if "tags" in data:
        return [t["name"] if isinstance(t, dict) else str(t) for t in (data.get("tags") or [])]
    if "tag_string" in data:
        return [t.strip() for t in str(data["tag_string"]).split(",")]
    return [] if full else None


def _groups(data: dict, *, full: bool) -> list[str] | None:
    if "groups" in data:
        return [g["name"] if isinstance(g, dict) else str(g) for g in (data.get("groups") or [])]
    return [] if full else None


def _organisation(ref) -> Organisation:
    org = Organisation.objects.filter(code=ref).first() or (
        Organisation.objects.filter(pk=int(ref)).first() if str(ref).isdigit() else None)
    if org is None:
        raise ActionError(f"机构不存在：{ref}", {"owner_org": ["机构不存在"]})
    return org


# --- actions --------------------------------------------------------------------------------------------

@action
def status_show(request, data, files):
    """The site and the CKAN version whose API this imitates."""
    return {"site_title": "gongkai 公开", "site_url": _base(request),
            "site_description": "政务公开平台 · 数据开放", "ckan_version": CKAN_VERSION, "locale_default": "zh_Hans_CN",
            "error_emails_to": None, "extensions": ["datastore", "dcat", "gongkai"]}


@action
def help_show(request, data, files):
    name = data.get("name", "")
    if name not in ACTIONS:
        raise NotFound(f"没有该接口：{name}")
    return (ACTIONS[name].__doc__ or "").strip()


@action
def package_list(request, data, files):
    """Names of the published datasets (limit, offset)."""
    qs = selectors.datasets_public().order_by("name").values_list("name", flat=True)
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", 0)
    return list(qs[offset:offset + limit] if limit else qs[offset:])


@action
def package_show(request, data, files):
    """One dataset with its resources (drafts only for the publisher's own staff)."""
    return package_dict(_dataset(data, request.ckan_user), _base(request))


@action
def package_search(request, data, files):
    """q, fq (organization:, tags:, res_format:, groups:, license_id:), sort, rows ≤ 1000, start, facet.field."""
    rows = _int(data, "rows", 10, conf.SEARCH_MAX_ROWS)
    start = _int(data, "start", 0)
    facet_fields = _json_param(data.get("facet.field"), [])
    if isinstance(facet_fields, str):
        facet_fields = [facet_fields]
    facet_limit = _int(data, "facet.limit", 50) if str(data.get("facet.limit", "50")) != "-1" else -1
    fq = data.get("fq") or ""
    if isinstance(fq, list):
        fq = " ".join(fq)
    fq_list = data.get("fq_list") or []
    if fq_list:
        fq = " ".join([fq, *fq_list])
    include_drafts = _bool(data.get("include_drafts", False))
    try:
        result = selectors.dataset_search(q=str(data.get("q") or ""), fq=str(fq), sort=str(data.get("sort") or ""),
                                          rows=rows, start=start, facet_fields=list(facet_fields),
                                          facet_limit=facet_limit,
                                          user=request.ckan_user if include_drafts else None)
    except selectors.SearchQueryError as exc:
        raise SearchQueryError(str(exc)) from exc
    base = _base(request)
    titles = {}
    if "organization" in result.facets:
        titles = dict(Organisation.objects.filter(code__in=result.facets["organization"]).values_list("code", "name"))
    domain_titles = dict(DataDomain.objects.values_list("name", "title"))
    search_facets = {}
    for name, counts in result.facets.items():
        names = titles if name == "organization" else domain_titles if name == "groups" else {}
        search_facets[name] = {"title": name, "items": [
            {"name": key, "display_name": names.get(key, key), "count": n} for key, n in counts.items()]}
    return {"count": result.count, "sort": data.get("sort") or "score desc, metadata_modified desc",
            "results": [package_dict(d, base) for d in result.results],
            "facets": result.facets, "search_facets": search_facets}


def _save(request, data, *, dataset: Dataset | None, full: bool):
    user = _user(request, required=True)
    fields = _fields_from(data, full=full)
    tags, groups = _tags(data, full=full), _groups(data, full=full)
    try:
        if dataset is None:
            if not data.get("name"):
                raise ActionError("缺少参数 name", {"name": ["Missing value"]})
            fields["title"] = str(data.get("title") or data["name"])
            dataset = services.dataset_create(by=user, organisation=_organisation(data.get("owner_org")),
                                              name=str(data["name"]), tags=tags, domains=groups, **fields)
            for item in data.get("resources") or []:
                if isinstance(item, dict) and item.get("url"):
                    services.resource_create(by=user, dataset=dataset, name=item.get("name") or item["url"],
                                             url=item["url"], format=item.get("format", ""),
                                             description=item.get("description", ""))
        else:
            dataset = services.dataset_update(by=user, dataset=dataset, tags=tags, domains=groups, **fields)
        wanted = data.get("state")
        if wanted == "active" and dataset.state != Dataset.State.PUBLISHED:
            dataset = services.dataset_transition(by=user, dataset=dataset, action="publish")
        elif wanted == "deleted" and dataset.state != Dataset.State.WITHDRAWN:
            dataset = services.dataset_transition(by=user, dataset=dataset, action="withdraw",
                                                  reason=str(data.get("reason") or "通过接口撤回"))
    except PermissionDenied as exc:
        raise NotAuthorized(str(exc)) from exc
    dataset.refresh_from_db()
    return package_dict(dataset, _base(request))


@action
def package_create(request, data, files):
    """Create a dataset (a draft; state "active" publishes it when the key's user may publish)."""
    return _save(request, data, dataset=None, full=True)


@action
def package_update(request, data, files):
    """Replace a dataset's metadata (fields left out are reset, as in CKAN)."""
    user = _user(request, required=True)
    return _save(request, data, dataset=_dataset(data, user), full=True)


@action
def package_patch(request, data, files):
    """Change only the fields given."""
    user = _user(request, required=True)
    return _save(request, data, dataset=_dataset(data, user), full=False)


@action
def package_delete(request, data, files):
    """Withdraw (never hard-delete) a dataset; `reason` is recorded."""
    user = _user(request, required=True)
    dataset = _dataset(data, user)
    try:
        services.dataset_transition(by=user, dataset=dataset, action="withdraw",
                                    reason=str(data.get("reason") or "通过接口撤回"))
    except PermissionDenied as exc:
        raise NotAuthorized(str(exc)) from exc
    return None


@action
def package_activity_list(request, data, files):
    """The dataset's changes, newest first, each with the dataset as it was (its version)."""
    dataset = _dataset(data, request.ckan_user)
    offset, limit = _int(data, "offset", 0), _int(data, "limit", 31, 100)
    return [{"id": str(a.pk), "timestamp": a.at.isoformat(), "user_id": str(a.actor_id or ""),
             "object_id": str(dataset.pk), "activity_type": a.activity_type, "version": a.version, "note": a.note,
             "data": {"package": a.snapshot}} for a in dataset.activities.all()[offset:offset + limit]]


@action
def resource_show(request, data, files):
    """One resource, with every version of its file."""
    return resource_dict(_resource(data, request.ckan_user), _base(request))


@action
def resource_create(request, data, files):
    """Add a resource: multipart `upload` (tabular files go to the datastore) or a `url`."""
    user = _user(request, required=True)
    dataset = _dataset(data, user, key="package_id")
    upload = files.get("upload") if files else None
    try:
        resource = services.resource_create(by=user, dataset=dataset, name=str(data.get("name") or ""), upload=upload,
                                            url=str(data.get("url") or "") if upload is None else "",
                                            format=str(data.get("format") or ""),
                                            description=str(data.get("description") or ""))
    except PermissionDenied as exc:
        raise NotAuthorized(str(exc)) from exc
    return resource_dict(resource, _base(request))


@action
def resource_update(request, data, files):
    """A new version of a resource's file (`upload`); the previous versions stay downloadable."""
    user = _user(request, required=True)
    resource = _resource(data, user)
    upload = files.get("upload") if files else None
    if upload is None:
        raise ActionError("请上传新版本文件（upload）", {"upload": ["Missing value"]})
    try:
        services.resource_upload_version(by=user, resource=resource, upload=upload)
    except PermissionDenied as exc:
        raise NotAuthorized(str(exc)) from exc
    return resource_dict(resource, _base(request))


@action
def organization_list(request, data, files):
    """Organisations with published datasets (all_fields for dictionaries)."""
    counts = {}
    for org_id in selectors.datasets_public().values_list("organisation_id", flat=True):
        counts[org_id] = counts.get(org_id, 0) + 1
    orgs = Organisation.objects.filter(pk__in=counts).order_by("code")
    if _bool(data.get("all_fields", False)):
        return [organisation_dict(o, package_count=counts[o.pk]) for o in orgs]
    return [o.code for o in orgs]


@action
def organization_show(request, data, files):
    """One organisation; include_datasets lists its published datasets."""
    org = Organisation.objects.filter(code=data.get("id")).first()
    if org is None:
        raise NotFound(f"机构不存在：{data.get('id')}")
    datasets = selectors.datasets_public().filter(organisation=org)
    result = organisation_dict(org, package_count=datasets.count())
    if _bool(data.get("include_datasets", False)):
        result["packages"] = [package_dict(d, _base(request)) for d in datasets[:1000]]
    return result


@action
def group_list(request, data, files):
    """The open-data domains (数据领域)."""
    domains = DataDomain.objects.all()
    if _bool(data.get("all_fields", False)):
        return [{"id": d.name, "name": d.name, "title": d.title, "display_name": d.title, "description": d.description,
                 "type": "group", "state": "active",
                 "package_count": d.datasets.filter(state=Dataset.State.PUBLISHED).count()} for d in domains]
    return [d.name for d in domains]


@action
def tag_list(request, data, files):
    """Tags of published datasets (query filters by substring)."""
    qs = DatasetTag.objects.filter(dataset__state=Dataset.State.PUBLISHED)
    if data.get("query"):
        qs = qs.filter(name__icontains=str(data["query"]))
    return sorted(set(qs.values_list("name", flat=True)))


@action
def license_list(request, data, files):
    """The licences a dataset may carry."""
    return [{**lic, "status": "active", "is_okd_compliant": lic["od_conformance"] == "approved",
             "text": conf.licence_text() if lic["id"] == conf.DEFAULT_LICENCE_ID else ""} for lic in conf.LICENCES]


@action
def datastore_search(request, data, files):
    """Rows of a tabular resource: resource_id, q, filters, limit ≤ 32000, offset, sort, fields."""
    resource = _resource(data, request.ckan_user, key="resource_id")
    dataset = resource.dataset
    if dataset.access_level != Dataset.Access.OPEN and dataset.state == Dataset.State.PUBLISHED \
            and request.ckan_user is None:
        raise NotAuthorized("有条件开放的数据须申请后下载，不提供接口查询。")
    filters = _json_param(data.get("filters"), {})
    q = _json_param(data.get("q"), "")
    select = _json_param(data.get("fields"), None)
    if isinstance(select, str):
        select = [s.strip() for s in select.split(",") if s.strip()]
    if not isinstance(filters, dict):
        raise ActionError("filters 应为 JSON 对象", {"filters": ["应为 JSON 对象"]})
    limit = _int(data, "limit", 100, conf.DATASTORE_MAX_LIMIT)
    offset = _int(data, "offset", 0)
    try:
        found = selectors.datastore_search(resource=resource, q=q, filters=filters, limit=limit, offset=offset,
                                           sort=str(data.get("sort") or ""), select=select)
    except QueryError as exc:
        raise ActionError(str(exc)) from exc
    chosen = [f for f in resource.schema if not select or f["id"] in select]
    path = request.path
    return {"resource_id": str(resource.pk), "fields": [{"id": "_id", "type": "int"}] + [
        {"id": f["id"], "type": CKAN_TYPES[f["type"]], "info": {"label": f.get("title", ""), "notes": f.get("description", "")}}
        for f in chosen], "records": found["records"], "total": found["total"], "limit": limit, "offset": offset,
        "_links": {"start": f"{path}?resource_id={resource.pk}",
                   "next": f"{path}?resource_id={resource.pk}&offset={offset + limit}"}}


@action
def datastore_search_sql(request, data, files):
    """Refused: SQL from the public would reach the platform's own database."""
    raise NotAuthorized("datastore_search_sql 未开放：本平台的数据存储在平台数据库中，不接受外部 SQL。"
                        "请使用 datastore_search 的 filters、q、sort 参数。")


@csrf_exempt
def dispatch(request: HttpRequest, name: str):
    help_url = f"{_base(request)}/api/3/action/help_show?name={name}"
    if request.method not in ("GET", "POST"):
        return JsonResponse({"help": help_url, "success": False,
                             "error": {"__type": "Validation Error", "message": "只接受 GET 和 POST"}}, status=405)
    fn = ACTIONS.get(name)
    if fn is None:
        return JsonResponse({"help": help_url, "success": False,
                             "error": {"__type": "Not Found Error", "message": f"没有该接口：{name}"}}, status=400)
    try:
        data, files = _params(request)
        request.ckan_user = _user(request, required=False)
        result = fn(request, data, files)
    except ActionError as exc:
        error = {"__type": exc.kind, "message": f"{exc.kind}: {exc.message}", **exc.fields}
        return JsonResponse({"help": help_url, "success": False, "error": error}, status=exc.status)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = "；".join(m for ms in fields.values() for m in ms) if fields else "；".join(exc.messages)
        error = {"__type": "Validation Error", "message": f"Validation Error: {message}", **fields}
        return JsonResponse({"help": help_url, "success": False, "error": error}, status=409)
    return JsonResponse({"help": help_url, "success": True, "result": result},
                        json_dumps_params={"ensure_ascii": False})
