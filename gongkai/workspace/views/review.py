"""The review before publication on the document page (先审查、后公开): proposal of the disclosure
attribute, the signer's decision, the confidentiality review and the reviewers' approvals."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from gongkai.compliance import services as review
from gongkai.compliance.engine import typo_model_state
from gongkai.compliance.services import APPROVING_ROLES, DRAFTING_ROLES, SIGNING_ROLES
from gongkai.core.models import Role
from gongkai.core.selectors import user_roles
from gongkai.documents.models import DisclosureAttribute, Document, Status

from .. import forms
from ..access import staff_required, visible_document

STEPS = ["propose", "decide", "confidentiality", "reject", "approve"]


def review_context(user, document: Document) -> dict:
    """What the review section of the document page shows to `user`."""
    roles = user_roles(user=user, organisation=document.organisation)
    open_for_review = document.status not in (Status.PUBLISHED, Status.WITHDRAWN)
    return {
        "steps": document.review_steps.select_related("actor"),
        "problems": review.review_problems(document=document) if open_for_review else [],
        "typo_model_warning": typo_model_state().warning if open_for_review else "",
        "attributes": DisclosureAttribute.choices,
        "can": {
            "propose": open_for_review and bool(roles & DRAFTING_ROLES),
            "decide": open_for_review and bool(roles & SIGNING_ROLES),
            "confidentiality": open_for_review and Role.CONFIDENTIALITY_REVIEWER in roles,
            "approve": open_for_review and bool(roles & APPROVING_ROLES) and document.created_by_id != user.pk,
        },
    }


@staff_required
@require_POST
def document_review(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    document = visible_document(request.user, pk)
    attribute = request.POST.get("attribute", "")
    reason = request.POST.get("reason", "")
    try:
        if step == "propose":
            review.review_propose(document=document, by=request.user, attribute=attribute, reason=reason)
        elif step == "decide":
            review.review_decide(document=document, by=request.user, attribute=attribute, reason=reason)
        elif step in ("confidentiality", "reject"):
            review.review_confidentiality(document=document, by=request.user, approved=step == "confidentiality",
                                          reason=reason)
        else:
            review.review_approve(document=document, by=request.user, reason=reason)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "操作未执行：" + forms.error_text(exc))
    else:
        messages.success(request, "已记录审查意见。")
    return redirect("workspace:document_detail", pk=document.pk)
