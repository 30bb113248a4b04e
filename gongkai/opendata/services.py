"""Writes of the open-data package. Every change of a dataset passes through these functions (the
workspace, the CKAN API, the demo and imports call them), so each rule holds for every face."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
import urllib.error
import urllib.request
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai import text
from gongkai.core.models import Organisation, User
from gongkai.core.selectors import user_roles
from gongkai.core.services import audit_record
from gongkai.documents.services import DRAFTING_ROLES, PUBLISHING_ROLES

from . import conf, datastore
from .models import (
    AccessRequest,
    DataDomain,
    Dataset,
    DatasetActivity,
    DatasetTag,
    PrivacyFinding,
    Resource,
    ResourceFile,
)
from .quality import dataset_quality
from .tables import TableError, read_table

NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{1,99}")
EDITABLE_FIELDS = ("title", "notes", "licence_id", "frequency", "temporal_start", "temporal_end", "spatial",
                   "contact_name", "contact_email", "contact_phone", "access_level", "access_reason", "extras",
                   "topic", "data_updated_on")


def _require(user: User | None, organisation: Organisation, roles: set[str], what: str) -> None:
    if user is None:  # system work (demo, imports) acts with the platform's own rights
        return
    if not user_roles(user=user, organisation=organisation) & roles:
        raise PermissionDenied(f"您没有{what}“{organisation}”数据集的权限。")


def dataset_snapshot(dataset: Dataset) -> dict:
    return {
        "name": dataset.name, "title": dataset.title, "notes": dataset.notes, "organisation": dataset.organisation.code,
        "licence_id": dataset.licence_id, "frequency": dataset.frequency, "state": dataset.state,
        "access_level": dataset.access_level, "access_reason": dataset.access_reason, "spatial": dataset.spatial,
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else None,
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else None,
        "tags": sorted(dataset.tags.values_list("name", flat=True)),
        "domains": sorted(dataset.domains.values_list("name", flat=True)),
        "extras": dataset.extras, "version": dataset.version,
        "data_updated_on": dataset.data_updated_on.isoformat() if dataset.data_updated_on else None,
        "resources": [
            {"id": r.pk, "name": r.name, "format": r.format, "url": r.url,
             "files": [{"version": f.version, "sha256": f.sha256, "size": f.size} for f in r.files.all()]}
            for r in dataset.resources.all()
        ],
    }


def _refresh(dataset: Dataset) -> None:
    """Recompute what is derived from the dataset: its search terms and its quality score."""
    tags = list(dataset.tags.values_list("name", flat=True))
    source = " ".join([dataset.title, dataset.title, dataset.notes, " ".join(tags), dataset.organisation.name,
                       " ".join(dataset.domains.values_list("title", flat=True)),
                       " ".join(dataset.resources.values_list("name", flat=True))])
    terms = text.words(source)
    terms += text.parts(terms)
    dataset.search_terms = " " + " ".join(dict.fromkeys(terms)) + " "
    dataset.quality = dataset_quality(dataset)
    Dataset.objects.filter(pk=dataset.pk).update(search_terms=dataset.search_terms, quality=dataset.quality)


def _activity(dataset: Dataset, *, actor: User | None, activity_type: str, note: str = "") -> None:
    DatasetActivity.objects.create(dataset=dataset, actor=actor, activity_type=activity_type, version=dataset.version,
                                   note=note, snapshot=dataset_snapshot(dataset))


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"tags", "domains", "organisation", "name"}
    if unknown:
        raise ValidationError({key: "未知字段" for key in sorted(unknown)})
    if "licence_id" in fields and conf.licence(fields["licence_id"]) is None:
        raise ValidationError({"licence_id": f"未知的许可协议：{fields['licence_id']}"})
    if "frequency" in fields and fields["frequency"] not in Dataset.Frequency.values:
        raise ValidationError({"frequency": f"更新频率应为 {', '.join(Dataset.Frequency.values)} 之一"})
    if "access_level" in fields and fields["access_level"] not in Dataset.Access.values:
        raise ValidationError({"access_level": "开放属性应为 open / conditional / closed"})
    for key in ("temporal_start", "temporal_end", "data_updated_on"):
        if isinstance(fields.get(key), str):
            try:
                fields[key] = dt.date.fromisoformat(fields[key]) if fields[key] else None
            except ValueError as exc:
                raise ValidationError({key: "日期格式应为 YYYY-MM-DD"}) from exc
    return fields


def _apply(dataset: Dataset, fields: dict[str, Any]) -> None:
    for key in EDITABLE_FIELDS:
        if key in fields:
            setattr(dataset, key, fields[key])
    if dataset.access_level != Dataset.Access.OPEN and not dataset.access_reason.strip():
        raise ValidationError({"access_reason": "有条件开放和不予开放的数据集须说明条件或理由（依据）"})
    if not dataset.title.strip():
        raise ValidationError({"title": "名称不能为空"})
    dataset.full_clean(exclude=["organisation", "topic", "search_terms", "quality", "name"])


def _set_tags(dataset: Dataset, tags: list[str] | None, domains: list[str] | None) -> None:
    if tags is not None:
        names = list(dict.fromkeys(t.strip() for t in tags if t and t.strip()))
        dataset.tags.exclude(name__in=names).delete()
        existing = set(dataset.tags.values_list("name", flat=True))
        DatasetTag.objects.bulk_create([DatasetTag(dataset=dataset, name=n[:100]) for n in names if n not in existing])
    if domains is not None:
        found = list(DataDomain.objects.filter(name__in=domains))
        if len(found) != len(set(domains)):
            missing = sorted(set(domains) - {d.name for d in found})
            raise ValidationError({"groups": f"数据领域不存在：{', '.join(missing)}"})
        dataset.domains.set(found)


@transaction.atomic
def dataset_create(*, by: User | None, organisation: Organisation, name: str, title: str = "",
                   tags: list[str] | None = None, domains: list[str] | None = None, **fields: Any) -> Dataset:
    """A new dataset, as a draft (数据集编目)."""
    _require(by, organisation, DRAFTING_ROLES, "编目")
    if not NAME_RE.fullmatch(name or ""):
        raise ValidationError({"name": "标识须为 2-100 个小写字母、数字、连字符或下划线"})
    if Dataset.objects.filter(name=name).exists():
        raise ValidationError({"name": "该标识已被使用"})
    fields = _clean({**fields, "title": title})
    dataset = Dataset(organisation=organisation, name=name)
    _apply(dataset, fields)
    dataset.save()
    _set_tags(dataset, tags, domains)
    _refresh(dataset)
    _activity(dataset, actor=by, activity_type="new package")
    audit_record(actor=by, action="opendata.dataset_create", obj=dataset, organisation=organisation,
                 after={"name": name, "title": title})
    return dataset


@transaction.atomic
def dataset_update(*, by: User | None, dataset: Dataset, tags: list[str] | None = None,
                   domains: list[str] | None = None, note: str = "", **fields: Any) -> Dataset:
    """Change a dataset's metadata; a published dataset's change is a new version (the old one kept)."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    _require(by, dataset.organisation, DRAFTING_ROLES, "修改")
    if dataset.state == Dataset.State.WITHDRAWN:
        raise ValidationError("已撤回的数据集不能修改。")
    fields = _clean(fields)
    before = dataset_snapshot(dataset)
    _apply(dataset, fields)
    if dataset.state == Dataset.State.PUBLISHED:
        dataset.version += 1
    dataset.save()
    _set_tags(dataset, tags, domains)
    _refresh(dataset)
    _activity(dataset, actor=by, activity_type="changed package", note=note)
    audit_record(actor=by, action="opendata.dataset_update", obj=dataset, organisation=dataset.organisation,
                 before={k: before[k] for k in ("title", "notes", "licence_id", "access_level", "tags")},
                 after={k: v for k, v in dataset_snapshot(dataset).items()
                        if k in ("title", "notes", "licence_id", "access_level", "tags")}, note=note)
    return dataset


def dataset_blockers(dataset: Dataset) -> list[str]:
    """Why the dataset cannot be published now: open privacy findings, missing resources or reasons."""
    blockers = []
    if not dataset.resources.exists():
        blockers.append("数据集至少需要一个数据资源")
    open_findings = PrivacyFinding.objects.filter(resource_file__resource__dataset=dataset,
                                                  status=PrivacyFinding.Status.OPEN)
    for finding in open_findings:
        blockers.append(f"个人信息未处理：{finding.message}")
    if dataset.access_level == Dataset.Access.CLOSED:
        blockers.append("不予开放的数据集只编目，不发布")
    return blockers


@transaction.atomic
def dataset_transition(*, by: User | None, dataset: Dataset, action: str, reason: str = "") -> Dataset:
    """submit (draft → in review), return (in review → draft), publish (→ published), withdraw (→ withdrawn)."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    state, S = dataset.state, Dataset.State
    if action == "submit":
        _require(by, dataset.organisation, DRAFTING_ROLES, "报审")
        if state != S.DRAFT:
            raise ValidationError("只有草稿可以报审。")
        dataset.state = S.IN_REVIEW
    elif action == "return":
        _require(by, dataset.organisation, PUBLISHING_ROLES, "退回")
        if state != S.IN_REVIEW:
            raise ValidationError("只有待审核的数据集可以退回。")
        dataset.state = S.DRAFT
    elif action == "publish":
        _require(by, dataset.organisation, PUBLISHING_ROLES, "发布")
        if state not in (S.DRAFT, S.IN_REVIEW):
            raise ValidationError("该数据集不能发布。")
        blockers = dataset_blockers(dataset)
        if blockers:
            raise ValidationError(blockers)
        dataset.state = S.PUBLISHED
        dataset.published_at = dataset.published_at or timezone.now()
    elif action == "withdraw":
        _require(by, dataset.organisation, PUBLISHING_ROLES, "撤回")
        if state == S.WITHDRAWN:
            raise ValidationError("该数据集已撤回。")
        if not reason.strip():
            raise ValidationError({"reason": "撤回须说明理由"})
        dataset.state = S.WITHDRAWN
        dataset.withdrawn_at = timezone.now()
        dataset.withdraw_reason = reason
    else:
        raise ValidationError(f"未知操作：{action}")
    dataset.save()
    _activity(dataset, actor=by, activity_type="deleted package" if action == "withdraw" else "changed package",
              note=reason or action)
    audit_record(actor=by, action=f"opendata.dataset_{action}", obj=dataset, organisation=dataset.organisation,
                 before={"state": state}, after={"state": dataset.state}, note=reason)
    return dataset


def _format_of(filename: str, given: str) -> str:
    if given:
        return given.strip().upper().lstrip(".")
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    return suffix.upper()


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while block := stream.read(1 << 20):
        digest.update(block)
        size += len(block)
    stream.seek(0)
    return digest.hexdigest(), size


def _load_version(resource: Resource, upload: File, *, by: User | None, fmt: str) -> ResourceFile:
    size = getattr(upload, "size", None)
    if size is not None and size > conf.MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件过大：{size // (1024 * 1024)} MB，超过上限 {conf.MAX_UPLOAD_BYTES // (1024 * 1024)} MB。")
    sha256, size = _digest(upload)
    if size > conf.MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件过大：超过上限 {conf.MAX_UPLOAD_BYTES // (1024 * 1024)} MB。")
    version = (resource.files.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    original = (getattr(upload, "name", "") or "data").rsplit("/", 1)[-1]
    record = ResourceFile(resource=resource, version=version, original_name=original[:255], size=size,
                          sha256=sha256, created_by=by)
    record.file.save(original, upload, save=False)
    record.save()
    if fmt in conf.TABULAR_FORMATS:
        try:
            with record.file.open("rb") as stream:
                table = read_table(stream, fmt)
                report = datastore.datastore_load(file_id=record.pk, table=table)
        except TableError as exc:
            record.file.delete(save=False)
            raise ValidationError(str(exc)) from exc
        record.encoding = table.encoding
        record.row_count = report.row_count
        record.validation = report.errors
        old_table = resource.datastore_table
        previous = {f["id"]: f for f in resource.schema}
        for f in report.fields:  # keep what the publisher wrote about a field that is still there
            if f["id"] in previous and previous[f["id"]].get("type") == f["type"]:
                f["title"] = previous[f["id"]].get("title", "")
                f["description"] = previous[f["id"]].get("description", "")
        resource.schema = report.fields
        resource.datastore_table = report.table
        for found in report.privacy:
            PrivacyFinding.objects.create(resource_file=record, column=found["column"], rule=found["rule"],
                                          count=found["count"], samples=found["samples"], message=found["message"][:300])
        if report.privacy:
            record.withheld = True
        record.save()
        if old_table and old_table != report.table:
            datastore.datastore_drop(table=old_table)
    resource.save()
    return record


@transaction.atomic
def resource_create(*, by: User | None, dataset: Dataset, name: str, upload: File | None = None, url: str = "",
                    format: str = "", description: str = "") -> Resource:
    """A new resource: an uploaded file (parsed into the datastore when tabular, scanned for personal
    data) or a link. A broken file raises ValidationError and leaves nothing behind."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    _require(by, dataset.organisation, DRAFTING_ROLES, "修改")
    if dataset.state == Dataset.State.WITHDRAWN:
        raise ValidationError("已撤回的数据集不能添加资源。")
    if upload is None and not url:
        raise ValidationError({"upload": "请上传文件或填写链接"})
    fmt = _format_of(getattr(upload, "name", "") or url, format)
    position = dataset.resources.count()
    resource = Resource.objects.create(dataset=dataset, name=name or getattr(upload, "name", "") or url,
                                       description=description, url="" if upload else url, format=fmt, position=position)
    if upload is not None:
        _load_version(resource, upload, by=by, fmt=fmt)
    _after_resource_change(dataset, by=by, note=f"新增资源：{resource.name}")
    audit_record(actor=by, action="opendata.resource_create", obj=resource, organisation=dataset.organisation,
                 after={"name": resource.name, "format": fmt})
    return resource


@transaction.atomic
def resource_upload_version(*, by: User | None, resource: Resource, upload: File) -> ResourceFile:
    """A new version of a resource's file; the previous versions stay downloadable."""
    dataset = Dataset.objects.select_for_update().get(pk=resource.dataset_id)
    _require(by, dataset.organisation, DRAFTING_ROLES, "修改")
    record = _load_version(resource, upload, by=by, fmt=resource.format)
    _after_resource_change(dataset, by=by, note=f"资源“{resource.name}”新版本 v{record.version}")
    audit_record(actor=by, action="opendata.resource_version", obj=resource, organisation=dataset.organisation,
                 after={"version": record.version, "sha256": record.sha256})
    return record


def _after_resource_change(dataset: Dataset, *, by: User | None, note: str) -> None:
    if dataset.state == Dataset.State.PUBLISHED:
        dataset.version += 1
        if dataset_blockers(dataset):  # a new file with personal data takes the dataset back to review
            dataset.state = Dataset.State.IN_REVIEW
    dataset.data_updated_on = timezone.localdate()
    dataset.save()
    _refresh(dataset)
    _activity(dataset, actor=by, activity_type="changed package", note=note)


@transaction.atomic
def resource_schema_update(*, by: User | None, resource: Resource, fields: dict[str, dict]) -> Resource:
    """Edit the inferred schema: titles and descriptions of fields (types follow the data)."""
    dataset = resource.dataset
    _require(by, dataset.organisation, DRAFTING_ROLES, "修改")
    schema = []
    for f in resource.schema:
        change = fields.get(f["id"], {})
        schema.append({**f, "title": str(change.get("title", f.get("title", "")))[:200],
                       "description": str(change.get("description", f.get("description", "")))[:2000]})
    resource.schema = schema
    resource.save()
    _refresh(dataset)
    audit_record(actor=by, action="opendata.schema_update", obj=resource, organisation=dataset.organisation)
    return resource


@transaction.atomic
def finding_resolve(*, by: User, finding: PrivacyFinding, action: str, reason: str = "") -> PrivacyFinding:
    """A reviewer masks the column (a new masked version is published, the original withheld) or overrides
    with the reason the data may be public (e.g. 行政处罚决定 naming a business); both audited."""
    finding = PrivacyFinding.objects.select_for_update().select_related("resource_file__resource__dataset").get(pk=finding.pk)
    record = finding.resource_file
    resource = record.resource
    dataset = resource.dataset
    _require(by, dataset.organisation, PUBLISHING_ROLES, "审核")
    if finding.status != PrivacyFinding.Status.OPEN:
        raise ValidationError("该检查结果已处理。")
    if action == "override":
        if not reason.strip():
            raise ValidationError({"reason": "确认可公开须说明理由（公开依据）"})
        finding.status = PrivacyFinding.Status.OVERRIDDEN
    elif action == "mask":
        column = next((f for f in resource.schema if f["id"] == finding.column), None)
        if column is None or not resource.datastore_table:
            raise ValidationError("该字段已不在数据表中。")
        whole = finding.rule in ("name_with_id", "header_address")
        datastore.datastore_mask_column(table=resource.datastore_table, column={**column, "mask_all": whole})
        finding.status = PrivacyFinding.Status.MASKED
    else:
        raise ValidationError(f"未知操作：{action}")
    finding.reason = reason
    finding.resolved_by = by
    finding.resolved_at = timezone.now()
    finding.save()
    audit_record(actor=by, action=f"opendata.privacy_{action}", obj=dataset, organisation=dataset.organisation,
                 before={"column": finding.column, "rule": finding.rule, "status": "open"},
                 after={"status": finding.status}, note=reason)
    if not record.findings.filter(status=PrivacyFinding.Status.OPEN).exists():
        if record.findings.filter(status=PrivacyFinding.Status.MASKED).exists():
            _masked_copy(resource, record, by=by)
        else:
            record.withheld = False
            record.save(update_fields=["withheld"])
    return finding


def _masked_copy(resource: Resource, record: ResourceFile, *, by: User | None) -> ResourceFile:
    """The masked datastore written out as the resource's next version (CSV, UTF-8 with BOM for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f["id"] for f in resource.schema])
    writer.writerows(datastore.datastore_rows(table=resource.datastore_table, fields=resource.schema))
    data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    version = record.version + 1
    stem = record.original_name.rsplit(".", 1)[0]
    masked = ResourceFile(resource=resource, version=version, original_name=f"{stem}-去标识化.csv", size=len(data),
                          sha256=hashlib.sha256(data).hexdigest(), encoding="utf-8-sig", row_count=record.row_count,
                          validation=record.validation, created_by=by)
    masked.file.save(f"{stem}-masked.csv", ContentFile(data), save=False)
    masked.save()
    if resource.format != "CSV":
        resource.format = "CSV"
        resource.save(update_fields=["format", "modified_at"])
    return masked


def dataset_count_download(*, dataset: Dataset) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def access_request_create(*, dataset: Dataset, name: str, organisation: str, email: str, phone: str,
                          purpose: str) -> AccessRequest:
    """A request to use a 有条件开放 dataset; the applicant's details are encrypted at rest."""
    if dataset.state != Dataset.State.PUBLISHED or dataset.access_level != Dataset.Access.CONDITIONAL:
        raise ValidationError("该数据集无需申请或不接受申请。")
    if not (name.strip() and purpose.strip() and (email.strip() or phone.strip())):
        raise ValidationError("请填写姓名、用途和至少一种联系方式。")
    reference = f"SJ{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"
    request = AccessRequest.objects.create(
        dataset=dataset, purpose=purpose[:5000], reference=reference,
        applicant={"name": name[:100], "organisation": organisation[:200], "email": email[:200], "phone": phone[:40]},
    )
    audit_record(actor=None, action="opendata.access_request", obj=request, organisation=dataset.organisation)
    return request


@transaction.atomic
def access_request_decide(*, by: User, request: AccessRequest, approve: bool, note: str = "") -> AccessRequest:
    """Staff decide; an approval creates a download link valid for conf.ACCESS_LINK_DAYS days."""
    request = AccessRequest.objects.select_for_update().select_related("dataset").get(pk=request.pk)
    _require(by, request.dataset.organisation, PUBLISHING_ROLES, "审核")
    if request.status != AccessRequest.Status.PENDING:
        raise ValidationError("该申请已处理。")
    if not approve and not note.strip():
        raise ValidationError({"note": "不予同意须说明理由"})
    request.status = AccessRequest.Status.APPROVED if approve else AccessRequest.Status.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    if approve:
        request.token = secrets.token_urlsafe(32)
        request.expires_at = request.decided_at + dt.timedelta(days=conf.ACCESS_LINK_DAYS)
    request.save()
    audit_record(actor=by, action="opendata.access_decide", obj=request, organisation=request.dataset.organisation,
                 after={"status": request.status}, note=note)
    return request


def resource_link_check(*, resource: Resource, timeout: float = 10.0) -> int:
    """Fetch a link resource's URL (HEAD, then GET when HEAD is refused) and keep the status for the
    quality score; 0 means unreachable."""
    status = 0
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(resource.url, method=method, headers={"User-Agent": "gongkai-linkcheck"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError, ValueError):
            status = 0
        if status not in (405, 501):
            break
    Resource.objects.filter(pk=resource.pk).update(link_status=status)
    resource.link_status = status
    _refresh(resource.dataset)
    return status


def links_check_all() -> int:
    """Check every link resource of published datasets; returns how many were checked."""
    resources = Resource.objects.filter(dataset__state=Dataset.State.PUBLISHED).exclude(url="").select_related("dataset")
    count = 0
    for resource in resources:
        resource_link_check(resource=resource)
        count += 1
    return count
