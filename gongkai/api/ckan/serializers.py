"""Datasets as CKAN's dictionaries: the field names CKAN clients and harvesters expect."""

from __future__ import annotations

from django.urls import reverse

from gongkai.opendata import conf
from gongkai.opendata.models import Dataset, Resource

CKAN_STATE = {Dataset.State.PUBLISHED: "active", Dataset.State.DRAFT: "draft", Dataset.State.IN_REVIEW: "draft",
              Dataset.State.WITHDRAWN: "deleted"}
CKAN_TYPES = {"integer": "int", "number": "numeric", "date": "date", "text": "text"}
# Our fields that CKAN keeps in `extras` (and that package_create/update accept there or at the top level).
EXTRA_FIELDS = ("frequency", "access_level", "access_reason", "spatial", "temporal_start", "temporal_end",
                "contact_phone", "data_updated_on")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def organisation_dict(org, *, package_count: int | None = None) -> dict:
    data = {"id": org.code, "name": org.code, "title": org.name, "display_name": org.name,
            "description": org.functions, "type": "organization", "is_organization": True, "state": "active",
            "image_url": "", "approval_status": "approved"}
    if package_count is not None:
        data["package_count"] = package_count
    return data


def resource_dict(resource: Resource, base: str) -> dict:
    files = list(resource.files.all())
    current = files[0] if files else None
    public_files = [f for f in files if not f.withheld]
    download = public_files[0] if public_files else None
    if resource.url:
        url = resource.url
    elif download is not None:
        url = base + reverse("portal:opendata_download", args=[resource.pk, download.version])
    else:
        url = ""
    return {
        "id": str(resource.pk), "package_id": str(resource.dataset_id), "name": resource.name,
        "description": resource.description, "format": resource.format, "url": url,
        "url_type": "upload" if not resource.url else "", "position": resource.position,
        "size": current.size if current else None,
        "hash": f"sha256:{current.sha256}" if current else "", "mimetype": None,
        "created": _iso(resource.created_at), "last_modified": _iso(current.created_at if current else resource.modified_at),
        "datastore_active": bool(resource.datastore_table),
        "state": "active",
        "schema": {"fields": [{"name": f["id"], "type": f["type"], "title": f.get("title", ""),
                               "description": f.get("description", "")} for f in resource.schema]},
        "versions": [{"version": f.version, "size": f.size, "hash": f"sha256:{f.sha256}", "created": _iso(f.created_at),
                      "withheld": f.withheld,
                      "url": "" if f.withheld else base + reverse("portal:opendata_download", args=[resource.pk, f.version])}
                     for f in files],
        "validation_errors": current.validation if current else [],
    }


def package_dict(dataset: Dataset, base: str) -> dict:
    licence = conf.licence(dataset.licence_id) or {}
    org = dataset.organisation
    extras = {key: getattr(dataset, key) for key in EXTRA_FIELDS}
    extras = {key: (_iso(v) if hasattr(v, "isoformat") else v) for key, v in extras.items() if v not in ("", None)}
    extras.update({str(k): v for k, v in (dataset.extras or {}).items()})
    extras["quality_score"] = (dataset.quality or {}).get("score", 0)
    if dataset.topic_id:
        extras["topic"] = dataset.topic.label
    resources = [resource_dict(r, base) for r in dataset.resources.prefetch_related("files")]
    tags = sorted(dataset.tags.values_list("name", flat=True))
    return {
        "id": str(dataset.pk), "name": dataset.name, "title": dataset.title, "notes": dataset.notes,
        "type": "dataset", "state": CKAN_STATE[dataset.state], "gongkai_state": dataset.state, "private": False,
        "owner_org": org.code, "organization": organisation_dict(org),
        "license_id": dataset.licence_id, "license_title": licence.get("title", ""), "license_url": licence.get("url", ""),
        "license_text": conf.licence_text() if dataset.licence_id == conf.DEFAULT_LICENCE_ID else "",
        "maintainer": dataset.contact_name, "maintainer_email": dataset.contact_email,
        "author": org.name, "author_email": "",
        "metadata_created": _iso(dataset.created_at), "metadata_modified": _iso(dataset.modified_at),
        "version": str(dataset.version), "url": base + reverse("portal:opendata_dataset", args=[dataset.name]),
        "frequency": dataset.frequency, "access_level": dataset.access_level,
        "tags": [{"name": t, "display_name": t, "state": "active"} for t in tags], "num_tags": len(tags),
        "groups": [{"name": d.name, "title": d.title, "display_name": d.title} for d in dataset.domains.all()],
        "extras": [{"key": k, "value": v if isinstance(v, str) else str(v)} for k, v in sorted(extras.items())],
        "resources": resources, "num_resources": len(resources),
        "quality": dataset.quality, "download_count": dataset.download_count,
    }
