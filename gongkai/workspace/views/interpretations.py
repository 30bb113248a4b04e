"""Policy interpretations (政策解读) in the back office."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.models import AuditEvent
from gongkai.documents import services
from gongkai.documents.models import Document, Interpretation
from gongkai.documents.selectors import documents_for_user

from .. import forms
from ..access import (
    drafting_organisations,
    interpretation_actions,
    interpretations_for_user,
    staff_required,
    visible_interpretation,
)
from .documents import _upload

PAGE_SIZE = 20


@staff_required
def interpretation_list(request):
    qs = (
        interpretations_for_user(user=request.user)
        .select_related("organisation")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.only("id", "title", "index_no")))
        .order_by("-id")
    )
    state = request.GET.get("state", "")
    if state in Interpretation.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/interpretations/list.html", {
        "page": page, "state": state, "states": Interpretation.State.choices,
        "can_create": drafting_organisations(request.user).exists(),
    })


@staff_required
def interpretation_detail(request, pk: int):
    interpretation = visible_interpretation(request.user, pk)
    visible_ids = set(documents_for_user(user=request.user).filter(
        pk__in=interpretation.documents.values("pk")).values_list("pk", flat=True))
    audit = AuditEvent.objects.filter(object_type=Interpretation._meta.label_lower,
                                      object_id=str(interpretation.pk)).order_by("at", "id")
    return render(request, "workspace/interpretations/detail.html", {
        "interpretation": interpretation,
        "documents": interpretation.documents.all(),
        "visible_ids": visible_ids,
        "attachments": interpretation.attachments.all(),
        "actions": interpretation_actions(request.user, interpretation),
        "audit": audit,
        "withdraw_form": forms.ReasonForm(auto_id="withdraw-%s"),
        "attach_form": forms.AttachmentForm(auto_id="attach-%s"),
    })


@staff_required
def interpretation_create(request):
    user = request.user
    organisations = drafting_organisations(user)
    if not organisations.exists():
        messages.error(request, "您没有起草政策解读的权限。")
        return redirect("workspace:interpretation_list")
    initial = {}
    if request.method == "GET" and request.GET.get("document", "").isdigit():
        document = documents_for_user(user=user).filter(pk=int(request.GET["document"])).first()
        if document is not None:
            initial = {"document_refs": document.index_no, "title": f"《{document.title}》政策解读"[:500],
                       "organisation": document.organisation_id}
    form = forms.InterpretationForm(request.POST or None, initial=initial, user=user, organisations=organisations,
                                    creating=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interpretation = services.interpretation_create(
                documents=data["document_refs"], organisation=data["organisation"], by=user, title=data["title"],
                form=data["form"], body=data["body"], media_url=data["media_url"],
            )
        except ValidationError as exc:
            forms.apply_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, forms.error_text(exc))
        else:
            messages.success(request, "已创建政策解读草稿。")
            return redirect("workspace:interpretation_detail", pk=interpretation.pk)
    return render(request, "workspace/interpretations/form.html", {"form": form, "interpretation": None})


@staff_required
def interpretation_edit(request, pk: int):
    user = request.user
    interpretation = visible_interpretation(user, pk)
    if "edit" not in interpretation_actions(user, interpretation):
        messages.error(request, "只有草稿状态的解读可以修改，且需要起草权限。")
        return redirect("workspace:interpretation_detail", pk=interpretation.pk)
    form = forms.InterpretationForm(request.POST or None, instance=interpretation, user=user,
                                    organisations=drafting_organisations(user), creating=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.interpretation_update(
                interpretation=interpretation, by=user, documents=data["document_refs"], title=data["title"],
                form=data["form"], body=data["body"], media_url=data["media_url"],
            )
        except ValidationError as exc:
            forms.apply_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, forms.error_text(exc))
        else:
            messages.success(request, "修改已保存。")
            return redirect("workspace:interpretation_detail", pk=interpretation.pk)
    return render(request, "workspace/interpretations/form.html", {"form": form, "interpretation": interpretation})


@staff_required
@require_POST
def interpretation_action(request, pk: int, action: str):
    user = request.user
    interpretation = visible_interpretation(user, pk)
    try:
        if action == "publish":
            services.interpretation_publish(interpretation=interpretation, by=user)
            messages.success(request, "政策解读已发布。")
        elif action == "withdraw":
            form = forms.ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError("撤回必须说明理由。")
            services.interpretation_withdraw(interpretation=interpretation, by=user, reason=form.cleaned_data["reason"])
            messages.success(request, "政策解读已撤回。")
        elif action == "attach":
            _upload(request, interpretation=interpretation)
        else:
            messages.error(request, "未知操作。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "操作未执行：" + forms.error_text(exc))
    return redirect("workspace:interpretation_detail", pk=interpretation.pk)
