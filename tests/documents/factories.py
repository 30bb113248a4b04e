"""Helpers that build documents through the services, as staff would."""

import datetime as dt

from django.utils import timezone

from gongkai.documents import services
from gongkai.documents.models import Document


def published_document(
    *, organisation, by, reviewer=None, title="关于测试工作的通知", at: dt.datetime | None = None, **fields
) -> Document:
    """Draft as `by`, then approve and publish as `reviewer` (the system when None).

    A person publishing goes through the review before publication (gongkai.compliance) first."""
    document = services.document_create(organisation=organisation, by=by, title=title, **fields)
    if document.is_normative:
        services.interpretation_create(documents=[document], organisation=organisation, by=by, title=f"《{title}》解读")
    services.document_submit(document=document, by=by)
    services.document_approve(document=document, by=reviewer)
    if reviewer is not None:
        review_for_publication(document)
    return services.document_publish(document=document, by=reviewer, at=at or timezone.now())


def review_for_publication(document: Document, *, approvals: int = 2) -> Document:
    """Complete the review before publication (gongkai.compliance): proposal, decision, confidentiality
    review and the required approvals, each by a fresh member of the document's organisation."""
    from gongkai.compliance import services as review
    from gongkai.core.models import Role, User
    from gongkai.core.services import membership_grant

    organisation = document.organisation

    def member(role: str, name: str) -> User:
        user = User.objects.create_user(username=f"{name}-{document.pk}", password="Test-pass-123", display_name=name)
        membership_grant(user=user, organisation=organisation, role=role)
        return user

    review.review_propose(document=document, by=member(Role.EDITOR, "起草人"), attribute="proactive")
    review.review_decide(document=document, by=member(Role.SIGNER, "签发人"), attribute="proactive")
    review.review_confidentiality(document=document, by=member(Role.CONFIDENTIALITY_REVIEWER, "保密审查人"), approved=True)
    for n in range(approvals - 1):
        review.review_approve(document=document, by=member(Role.REVIEWER, f"审核人{n}"))
    document.refresh_from_db()
    return document
