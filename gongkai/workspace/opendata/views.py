"""数据开放 in the back office: the organisation's datasets, resources, the privacy review and access requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.selectors import organisations_for_user
from gongkai.documents.services import DRAFTING_ROLES
from gongkai.opendata import selectors, services
from gongkai.opendata.models import AccessRequest, Dataset, PrivacyFinding, Resource

from ..access import staff_required
from .forms import DatasetForm, ReasonForm, ResourceForm


def _datasets(user):
    return Dataset.objects.filter(organisation__in=organisations_for_user(user=user)).select_related("organisation")


def _errors(request, exc: Exception) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@staff_required
def dataset_list(request):
    datasets = _datasets(request.user).order_by("-modified_at")
    requests_pending = AccessRequest.objects.filter(dataset__in=datasets, status=AccessRequest.Status.PENDING)
    return render(request, "workspace/opendata/list.html", {
        "datasets": datasets, "pending": requests_pending.select_related("dataset"),
        "ranking": selectors.organisation_quality(),
    })


@staff_required
def dataset_create(request):
    organisations = organisations_for_user(user=request.user, roles=set(DRAFTING_ROLES))
    form = DatasetForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        tags = [t.strip() for t in data.pop("tags").replace("，", ",").split(",") if t.strip()]
        domains = [d.name for d in data.pop("domains")]
        try:
            dataset = services.dataset_create(by=request.user, organisation=organisation, tags=tags, domains=domains,
                                              **data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("workspace:opendata_detail", pk=dataset.pk)
    return render(request, "workspace/opendata/form.html", {"form": form})


@staff_required
def dataset_detail(request, pk: int):
    dataset = get_object_or_404(_datasets(request.user), pk=pk)
    resources = list(dataset.resources.prefetch_related("files__findings"))
    return render(request, "workspace/opendata/detail.html", {
        "dataset": dataset, "resources": resources, "blockers": services.dataset_blockers(dataset),
        "resource_form": ResourceForm(), "reason_form": ReasonForm(),
        "requests": dataset.access_requests.all(), "activities": dataset.activities.all()[:20],
    })


@staff_required
@require_POST
def resource_add(request, pk: int):
    dataset = get_object_or_404(_datasets(request.user), pk=pk)
    form = ResourceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.resource_create(by=request.user, dataset=dataset, name=form.cleaned_data["name"],
                                     upload=form.cleaned_data["upload"], url=form.cleaned_data["url"] or "",
                                     description=form.cleaned_data["description"])
            messages.success(request, "资源已添加。")
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    else:
        messages.error(request, "请填写资源名称并上传文件或填写链接。")
    return redirect("workspace:opendata_detail", pk=dataset.pk)


@staff_required
@require_POST
def schema_edit(request, pk: int):
    resource = get_object_or_404(Resource.objects.filter(dataset__in=_datasets(request.user)), pk=pk)
    fields = {f["id"]: {"title": request.POST.get(f"title-{i}", ""), "description": request.POST.get(f"description-{i}", "")}
              for i, f in enumerate(resource.schema)}
    try:
        services.resource_schema_update(by=request.user, resource=resource, fields=fields)
        messages.success(request, "字段说明已保存。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("workspace:opendata_detail", pk=resource.dataset_id)


@staff_required
@require_POST
def dataset_action(request, pk: int, action: str):
    dataset = get_object_or_404(_datasets(request.user), pk=pk)
    try:
        services.dataset_transition(by=request.user, dataset=dataset, action=action,
                                    reason=request.POST.get("reason", ""))
        messages.success(request, "操作成功。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("workspace:opendata_detail", pk=dataset.pk)


@staff_required
@require_POST
def finding_resolve(request, pk: int, action: str):
    finding = get_object_or_404(PrivacyFinding.objects.filter(
        resource_file__resource__dataset__in=_datasets(request.user)), pk=pk)
    try:
        services.finding_resolve(by=request.user, finding=finding, action=action, reason=request.POST.get("reason", ""))
        messages.success(request, "已处理。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("workspace:opendata_detail", pk=finding.resource_file.resource.dataset_id)


@staff_required
@require_POST
def access_decide(request, pk: int):
    access = get_object_or_404(AccessRequest.objects.filter(dataset__in=_datasets(request.user)), pk=pk)
    try:
        services.access_request_decide(by=request.user, request=access, approve=request.POST.get("approve") == "1",
                                       note=request.POST.get("note", ""))
        messages.success(request, "已答复。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("workspace:opendata_detail", pk=access.dataset_id)
