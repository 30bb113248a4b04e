"""Reads of the open-data package: the public catalogue, dataset search with facets, the datastore."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from gongkai import text
from gongkai.core.models import Organisation, User
from gongkai.core.selectors import organisations_for_user

from . import conf, datastore
from .models import Dataset, DatasetTag, Resource
from .quality import update_overdue

FACET_FIELDS = {"organization", "tags", "res_format", "groups", "license_id", "access_level"}
_FQ = re.compile(r'([+-]?)(\w+):(?:"([^"]*)"|(\S+))')
SORTS = {
    "metadata_modified": "modified_at", "metadata_created": "created_at", "title_string": "title",
    "name": "name", "views_recent": "download_count", "views_total": "download_count",
}


class SearchQueryError(ValueError):
    pass


def datasets_public() -> QuerySet[Dataset]:
    return Dataset.objects.filter(state=Dataset.State.PUBLISHED)


def datasets_for_user(*, user: User | None) -> QuerySet[Dataset]:
    """Published datasets, plus every dataset of the organisations the staff user works for."""
    if user is None or not user.is_authenticated:
        return datasets_public()
    return Dataset.objects.filter(Q(state=Dataset.State.PUBLISHED) | Q(organisation__in=organisations_for_user(user=user)))


def dataset_get(*, ref: str, user: User | None = None) -> Dataset | None:
    qs = datasets_for_user(user=user).select_related("organisation", "topic")
    found = qs.filter(name=ref).first()
    if found is None and str(ref).isdigit():
        found = qs.filter(pk=int(ref)).first()
    return found


def _filter(qs: QuerySet[Dataset], key: str, value: str, negate: bool) -> QuerySet[Dataset]:
    conditions = {
        "organization": Q(organisation__code=value) | Q(organisation__name=value),
        "owner_org": Q(organisation__code=value),
        "tags": Q(tags__name=value), "res_format": Q(resources__format__iexact=value),
        "groups": Q(domains__name=value), "license_id": Q(licence_id=value), "access_level": Q(access_level=value),
        "name": Q(name=value), "frequency": Q(frequency=value), "topic": Q(topic__code=value),
    }
    if key not in conditions:
        raise SearchQueryError(f"不支持的过滤字段：{key}（支持 {', '.join(sorted(conditions))}）")
    ids = Dataset.objects.filter(conditions[key]).values("pk")
    return qs.exclude(pk__in=ids) if negate else qs.filter(pk__in=ids)


@dataclass
class SearchResult:
    count: int
    results: list[Dataset]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)


def _facet_counts(ids: QuerySet, name: str, limit: int) -> dict[str, int]:
    if name == "organization":
        rows = (Organisation.objects.filter(datasets__in=ids).values("code").annotate(n=Count("datasets", distinct=True)))
        key = "code"
    elif name == "tags":
        rows = DatasetTag.objects.filter(dataset__in=ids).values("name").annotate(n=Count("dataset", distinct=True))
        key = "name"
    elif name == "res_format":
        rows = Resource.objects.filter(dataset__in=ids).exclude(format="").values("format").annotate(
            n=Count("dataset", distinct=True))
        key = "format"
    elif name == "groups":
        rows = Dataset.domains.through.objects.filter(dataset__in=ids).values("datadomain__name").annotate(
            n=Count("dataset", distinct=True))
        key = "datadomain__name"
    else:
        column = {"license_id": "licence_id", "access_level": "access_level"}[name]
        rows = Dataset.objects.filter(pk__in=ids).values(column).annotate(n=Count("pk"))
        key = column
    ordered = sorted(((r[key], r["n"]) for r in rows), key=lambda kv: (-kv[1], str(kv[0])))
    return dict(ordered[:limit] if limit >= 0 else ordered)


def dataset_search(*, q: str = "", fq: str = "", sort: str = "", rows: int = 10, start: int = 0,
                   facet_fields: list[str] | None = None, facet_limit: int = 50, user: User | None = None,
                   filters: dict[str, list[str]] | None = None) -> SearchResult:
    """Search the catalogue with the shared analyzer (Chinese queries are cut like the indexed text).

    `q` may hold `field:value` pairs as CKAN's Solr does; the rest are words, all of which must match.
    Ranking: words in the title count three times; ties by last change.
    """
    qs = datasets_for_user(user=user) if user is not None else datasets_public()
    words_part = q or ""
    for source in (fq or "", q or ""):
        for m in _FQ.finditer(source):
            qs = _filter(qs, m.group(2), m.group(3) if m.group(3) is not None else m.group(4), m.group(1) == "-")
        if source is q:
            words_part = _FQ.sub(" ", q or "")
    for key, values in (filters or {}).items():
        for value in values:
            qs = _filter(qs, key, value, False)
    words_part = words_part.strip()
    if words_part in ("*:*", "*"):
        words_part = ""
    terms = text.query_terms(words_part) if words_part else []
    for term in terms:
        qs = qs.filter(search_terms__contains=f" {term} ")
    ids = qs.values("pk")
    facets = {}
    for name in facet_fields or []:
        if name not in FACET_FIELDS:
            raise SearchQueryError(f"不支持的分面字段：{name}")
        facets[name] = _facet_counts(ids, name, facet_limit)
    order = []
    relevance = bool(terms) and (not sort or sort.strip().startswith("score"))
    for part in [p.strip() for p in (sort or "").split(",") if p.strip()]:
        bits = part.split()
        key, direction = bits[0], (bits[1].lower() if len(bits) > 1 else "asc")
        if key == "score":
            continue
        if key not in SORTS or direction not in ("asc", "desc"):
            raise SearchQueryError(f"排序参数有误：{part}")
        order.append(("-" if direction == "desc" else "") + SORTS[key])
    qs = qs.select_related("organisation").order_by(*(order or ["-modified_at"]), "-id")
    count = qs.count()
    if relevance:
        candidates = list(qs)

        def score(d: Dataset) -> int:
            title = text.words(d.title)
            return sum(3 if t in title else 1 for t in terms)

        candidates.sort(key=lambda d: -score(d))
        results = candidates[start:start + rows]
    else:
        results = list(qs[start:start + rows])
    return SearchResult(count=count, results=results, facets=facets, terms=terms)


def datastore_search(*, resource: Resource, **query) -> dict:
    if not resource.datastore_table:
        raise datastore.QueryError("该资源没有进入数据存储（不是表格，或尚未上传文件）")
    records, total = datastore.datastore_query(table=resource.datastore_table, fields=resource.schema, **query)
    return {"records": records, "total": total}


def resource_preview(*, resource: Resource, limit: int = 20) -> dict | None:
    if not resource.datastore_table:
        return None
    records, total = datastore.datastore_query(table=resource.datastore_table, fields=resource.schema, limit=limit)
    return {"fields": resource.schema, "records": records, "total": total}


_IDENTIFIER = re.compile(r"代码|编码|编号|序号|号码|^id$|_id$|code", re.IGNORECASE)


def resource_chart(*, resource: Resource, limit: int = 30) -> dict | None:
    """A bar chart of the first numeric column against the first text column, when the table is small enough."""
    fields = resource.schema
    label = next((f for f in fields if f["type"] in ("text", "date")), None)
    # A code column (区划代码, 统一社会信用代码, 序号) is numeric but no quantity: bars of codes mean nothing.
    value = next((f for f in fields if f["type"] in ("integer", "number") and not _IDENTIFIER.search(f["id"])), None)
    if not resource.datastore_table or label is None or value is None:
        return None
    records, total = datastore.datastore_query(table=resource.datastore_table, fields=fields, limit=limit,
                                               select=[label["id"], value["id"]])
    if total > limit or total < 2:
        return None
    values = [r[value["id"]] or 0 for r in records]
    top = max(max(values), 1)
    bars = [{"label": r[label["id"]], "value": v, "width": round(100 * v / top, 1)} for r, v in zip(records, values, strict=True)]
    return {"label": label["id"], "value": value["id"], "bars": bars}


def organisation_quality() -> list[dict]:
    """Per organisation: published datasets and the sum and mean of their quality scores (for the assessment)."""
    out: dict[int, dict] = {}
    for dataset in datasets_public().select_related("organisation"):
        row = out.setdefault(dataset.organisation_id, {"organisation": dataset.organisation, "datasets": 0, "score_sum": 0})
        row["datasets"] += 1
        row["score_sum"] += int((dataset.quality or {}).get("score", 0))
    rows = list(out.values())
    for row in rows:
        row["score_mean"] = round(row["score_sum"] / row["datasets"], 1)
    return sorted(rows, key=lambda r: -r["score_mean"])


def datasets_published_as_of(*, organisation_ids, at) -> list[tuple[Dataset, dict]]:
    """Datasets as they stood at `at`, from their activity snapshots (each change keeps the dataset as it was
    after it): those published then, each with its snapshot. For an assessment of a past period, so a later
    update or withdrawal does not change it."""
    out = []
    qs = Dataset.objects.filter(organisation_id__in=list(organisation_ids), published_at__lte=at)
    for dataset in qs.select_related("organisation").prefetch_related("activities").order_by("id"):
        activities = list(dataset.activities.all())
        snapshots = [a for a in activities if a.at <= at]
        if activities and not snapshots:
            continue
        # A dataset with no activity at all (loaded outside the services): only its current record is known.
        snapshot = max(snapshots, key=lambda a: (a.at, a.pk)).snapshot if snapshots else {
            "state": dataset.state, "title": dataset.title, "frequency": dataset.frequency,
            "data_updated_on": dataset.data_updated_on.isoformat() if dataset.data_updated_on else None}
        if snapshot.get("state") == Dataset.State.PUBLISHED:
            out.append((dataset, snapshot))
    return out


def snapshot_update_overdue(*, snapshot: dict, today) -> tuple[bool, dt.date | None]:
    """The quality rule (update_overdue) applied to a snapshot: (overdue, data updated on). A snapshot from
    before data_updated_on was kept in it is not judged."""
    raw = snapshot.get("data_updated_on")
    if not raw:
        return False, None
    updated = dt.date.fromisoformat(raw)
    days = conf.FREQUENCY_DAYS.get(snapshot.get("frequency"))
    return bool(days and (today - updated).days > days), updated


def dataset_update_overdue(*, dataset: Dataset, today) -> bool:
    """Whether the dataset's data is older than its update frequency allows on `today` (the quality rule)."""
    return update_overdue(dataset, today=today)
