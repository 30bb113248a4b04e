"""The policy library in the back office: list, detail, create/edit, lifecycle actions, attachments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.models import AuditEvent
from gongkai.core.selectors import organisations_for_user
from gongkai.core.workdays import CalendarYearMissing, working_days_between
from gongkai.documents import services
from gongkai.documents.models import Attachment, Document, Interpretation
from gongkai.documents.selectors import documents_for_user, documents_with_details, interpretation_is_late

from .. import forms
from ..access import (
    document_actions,
    drafting_organisations,
    interpretations_for_user,
    staff_required,
    visible_document,
)
from ..subscriptions import push_tags
from .review import review_context

PAGE_SIZE = 20


@staff_required
def document_list(request):
    user = request.user
    form = forms.DocumentFilterForm(request.GET or None, organisations=organisations_for_user(user=user))
    # The body is large (whole laws) and not shown in the list: leave it out of the sort.
    qs = documents_with_details(documents_for_user(user=user)).defer("body").order_by("-updated_at", "-id")
    if form.is_bound and form.is_valid():
        qs = form.filter(qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/documents/list.html", {
        "form": form, "page": page, "can_create": drafting_organisations(user).exists(),
    })


def _late_flags(document: Document, interpretations: list[Interpretation]) -> tuple[dict[int, bool], bool]:
    """Which interpretations came late, and whether a normative document still lacks one past the limit."""
    late = {i.pk: interpretation_is_late(interpretation=i, document=document)
            for i in interpretations if i.state != Interpretation.State.WITHDRAWN}
    published = [i for i in interpretations if i.state == Interpretation.State.PUBLISHED]
    if not (document.is_normative and document.published_at and not published):
        return late, False
    try:
        delay = working_days_between(timezone.localtime(document.published_at).date(), timezone.localdate())
    except CalendarYearMissing:
        return late, False  # outside the working-day calendar: lateness cannot be measured
    return late, delay > settings.INTERPRETATION_DEADLINE_WORKING_DAYS


@staff_required
def document_detail(request, pk: int):
    user = request.user
    document = visible_document(user, pk)
    interpretations = list(document.interpretations.select_related("organisation").order_by("-id"))
    late, missing_late = _late_flags(document, interpretations)
    events = document.events.select_related("actor", "related_document").order_by("at", "id")
    audit = AuditEvent.objects.filter(object_type=Document._meta.label_lower, object_id=str(document.pk)).order_by("at", "id")
    actions = document_actions(user, document)
    return render(request, "workspace/documents/detail.html", {
        "document": document,
        "review": review_context(user, document),
        "review_attribute_steps": [("propose", "提出公开属性"), ("decide", "签发：确定公开属性")],
        "issuers": document.issuers.select_related("organisation"),
        "attachments": document.attachments.all(),
        "interpretations": [(i, late.get(i.pk, False)) for i in interpretations],
        "missing_late": missing_late,
        "events": events,
        "audit": audit,
        "actions": actions,
        "forms": {
            "return": forms.ReasonForm(auto_id="return-%s"),
            "schedule": forms.ScheduleForm(auto_id="schedule-%s"),
            "amend": forms.AmendForm(user=user, auto_id="amend-%s"),
            "repeal": forms.RepealForm(user=user, auto_id="repeal-%s",
                                       initial={"effective_on": timezone.localdate()}),
            "expire": forms.ExpireForm(auto_id="expire-%s", initial={"effective_on": timezone.localdate()}),
            "withdraw": forms.ReasonForm(auto_id="withdraw-%s"),
            "attach": forms.AttachmentForm(auto_id="attach-%s"),
        },
    })


def _save_document(request, form: forms.DocumentForm, document: Document | None):
    """Call the service; on refusal put its messages on the form and return None."""
    try:
        if document is None:
            return services.document_create(
                organisation=form.cleaned_data["organisation"], by=request.user, title=form.cleaned_data["title"],
                issuers=form.issuers(), **{k: v for k, v in form.document_fields().items() if k != "title"},
            )
        return services.document_update(
            document=document, by=request.user, issuers=form.issuers(), reason=form.cleaned_data.get("reason", ""),
            **form.document_fields(),
        )
    except ValidationError as exc:
        forms.apply_service_error(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, forms.error_text(exc))
    return None


@staff_required
def document_create(request):
    user = request.user
    organisations = drafting_organisations(user)
    if not organisations.exists():
        messages.error(request, "您没有起草文件的权限。")
        return redirect("workspace:document_list")
    form = forms.DocumentForm(request.POST or None, user=user, creating=True, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        document = _save_document(request, form, None)
        if document is not None:
            messages.success(request, f"已创建草稿，索引号 {document.index_no}。")
            push_tags.save_from_form(request, document)
            return redirect("workspace:document_detail", pk=document.pk)
    return render(request, "workspace/documents/form.html", {"form": form, "document": None,
                                                             "push_tags": push_tags.form_context(None, request)})


@staff_required
def document_edit(request, pk: int):
    user = request.user
    document = visible_document(user, pk)
    if "edit" not in document_actions(user, document):
        messages.error(request, "您不能修改这份文件（状态或权限不允许）。")
        return redirect("workspace:document_detail", pk=document.pk)
    form = forms.DocumentForm(request.POST or None, instance=document, user=user, creating=False,
                              organisations=drafting_organisations(user))
    if request.method == "POST" and form.is_valid():
        saved = _save_document(request, form, document)
        if saved is not None:
            messages.success(request, "修改已保存。" if "reason" not in form.fields else "更正已保存，并记入文件历史。")
            push_tags.save_from_form(request, saved)
            return redirect("workspace:document_detail", pk=saved.pk)
    return render(request, "workspace/documents/form.html", {"form": form, "document": document,
                                                             "push_tags": push_tags.form_context(document, request)})


def _act(action: str, document: Document, user, data: dict):
    match action:
        case "submit":
            return services.document_submit(document=document, by=user), "已提交审核。"
        case "return":
            return services.document_return(document=document, by=user, reason=data["reason"]), "已退回修改。"
        case "approve":
            return services.document_approve(document=document, by=user), "已审核通过。"
        case "schedule":
            doc = services.document_schedule(document=document, by=user, publish_at=data["publish_at"])
            return doc, f"已设定于 {timezone.localtime(data['publish_at']):%Y-%m-%d %H:%M} 发布。"
        case "publish":
            return services.document_publish(document=document, by=user), "已发布。"
        case "amend":
            doc = services.document_amend(document=document, by=user, amended_by=data["reference"],
                                          effective_on=data["effective_on"], reason=data["reason"])
            return doc, "已标记为被修改。"
        case "repeal":
            doc = services.document_repeal(document=document, by=user, effective_on=data["effective_on"],
                                           reason=data["reason"], repealed_by=data["reference"])
            return doc, "已废止。"
        case "expire":
            doc = services.document_expire(document=document, by=user, effective_on=data["effective_on"],
                                           reason=data["reason"])
            return doc, "已标记失效。"
        case "withdraw":
            return services.document_withdraw(document=document, by=user, reason=data["reason"]), "已撤回。"
    raise Http404


ACTION_FORMS = {
    "submit": forms.EmptyForm, "approve": forms.EmptyForm, "publish": forms.EmptyForm,
    "return": forms.ReasonForm, "withdraw": forms.ReasonForm, "schedule": forms.ScheduleForm,
    "amend": forms.AmendForm, "repeal": forms.RepealForm, "expire": forms.ExpireForm,
}


@staff_required
@require_POST
def document_action(request, pk: int, action: str):
    """One lifecycle step. The service decides whether the user and the document's state allow it."""
    if action not in ACTION_FORMS:
        raise Http404
    user = request.user
    document = visible_document(user, pk)
    form_class = ACTION_FORMS[action]
    kwargs = {"user": user} if form_class in (forms.AmendForm, forms.RepealForm) else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        problems = [f"{form.fields[f].label if f in form.fields else ''}：{'；'.join(e)}".lstrip("：")
                    for f, e in form.errors.items()]
        messages.error(request, "操作未执行：" + "；".join(problems))
        return redirect("workspace:document_detail", pk=document.pk)
    try:
        _, message = _act(action, document, user, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "操作未执行：" + forms.error_text(exc))
    else:
        messages.success(request, message)
    return redirect("workspace:document_detail", pk=document.pk)


def _upload(request, *, document=None, interpretation=None) -> None:
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "上传失败：请选择要上传的文件。")
        return
    upload = form.cleaned_data["file"]
    try:
        attachment = services.attachment_add(
            document=document, interpretation=interpretation, by=request.user, file=upload, name=upload.name,
            content_type=upload.content_type or "application/octet-stream",
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "上传失败：" + forms.error_text(exc))
    else:
        messages.success(request, f"已上传附件“{attachment.original_name}”。")


@staff_required
@require_POST
def document_attach(request, pk: int):
    document = visible_document(request.user, pk)
    _upload(request, document=document)
    return redirect("workspace:document_detail", pk=document.pk)


@staff_required
def attachment_download(request, pk: int):
    """Serve an attachment under its original filename, only to staff who may see its owner."""
    user = request.user
    attachment = get_object_or_404(
Attachment.objects.all(), pk=pk
    )
    if attachment.document_id:
        visible = documents_for_user(user=user).filter(pk=attachment.document_id).exists()
    else:
        visible = interpretations_for_user(user=user).filter(pk=attachment.interpretation_id).exists()
    if not visible:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type or "application/octet-stream")

