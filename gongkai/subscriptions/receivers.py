"""What subscriptions does when the policy library tells it something (documents/hooks.py): it notes the
event (one row, inside the publishing transaction) and starts the matcher after the commit. Matching never
runs inside the publish action (issue 25: the publish must not wait for 100,000 subscribers)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import conf, services, tasks
from .models import PendingMatch


def on_lifecycle_recorded(*, document, event) -> None:
    kind = services.EVENT_FOR_KIND.get(event.kind)
    if kind is None:
        return
    if kind == PendingMatch.Event.PUBLISHED:
        # A batch import of historical documents records old publications: nothing to push.
        if event.at < timezone.now() - dt.timedelta(days=conf.MATCH_MAX_AGE_DAYS):
            return
        if not document.is_public:
            return
    services.match_enqueue(document=document, event=kind, related_document=event.related_document)
    transaction.on_commit(tasks.match_pending_task)


def on_interpretation_published(*, interpretation) -> None:
    for document in interpretation.documents.all():
        services.match_enqueue(document=document, event=PendingMatch.Event.INTERPRETED,
                               interpretation_id=interpretation.pk)
    transaction.on_commit(tasks.match_pending_task)
