"""Helpers that build documents through the services, as staff would."""

import datetime as dt

from django.utils import timezone

from gongkai.documents import services
from gongkai.documents.models import Document


def published_document(
    *, organisation, by, reviewer=None, title="关于测试工作的通知", at: dt.datetime | None = None, **fields
) -> Document:
    """Draft as `by`, then approve and publish as `reviewer` (the system when None)."""
    document = services.document_create(organisation=organisation, by=by, title=title, **fields)
    if document.is_normative:
        services.interpretation_create(documents=[document], organisation=organisation, by=by, title=f"《{title}》解读")
    services.document_submit(document=document, by=by)
    services.document_approve(document=document, by=reviewer)
    return services.document_publish(document=document, by=reviewer, at=at or timezone.now())
