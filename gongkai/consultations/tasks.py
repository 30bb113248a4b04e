"""Background work of consultations: telling commenters that the adoption feedback is published."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_task

from .models import Consultation, Opinion

logger = logging.getLogger("gongkai.consultations")


def feedback_notify_commenters(*, consultation: Consultation, send_email, send_sms=None) -> int:
    """Tell each commenter who left contact data that the feedback is published (once each)."""
    sent = 0
    for opinion in consultation.opinions.filter(wants_answer=True, notified_at__isnull=True).iterator():
        contact = opinion.contact or {}
        subject = f"【征求意见】{consultation.title}：意见采纳情况已公布"
        text = (f"您对《{consultation.title}》提出的意见，{consultation.organisation.name}已公布采纳情况，"
                f"请访问征求意见页面查看。")
        try:
            if contact.get("email"):
                send_email(subject, text, contact["email"])
            elif contact.get("phone") and send_sms is not None:
                send_sms(contact["phone"], text)
            else:
                continue
        except Exception:  # noqa: BLE001 — one failed address must not stop the others; logged without it
            logger.warning("feedback notice for opinion %s could not be sent", opinion.pk)
            continue
        Opinion.objects.filter(pk=opinion.pk).update(notified_at=timezone.now())
        sent += 1
    return sent


def _send_email(subject: str, text: str, to: str) -> None:
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to])


@db_task()
def feedback_notify(consultation_id: int) -> int:
    consultation = Consultation.objects.select_related("organisation").filter(pk=consultation_id).first()
    if consultation is None:
        return 0
    sms_path = getattr(settings, "APPLICATION_SMS_SENDER", "")
    return feedback_notify_commenters(consultation=consultation, send_email=_send_email,
                                      send_sms=import_string(sms_path) if sms_path else None)
