"""Background notices of 政民互动 (the task layer, huey; run inline in tests with TASKS_IMMEDIATE):

* the citizen, when a reply is sent (答复) or published (公开): an e-mail through Django's e-mail framework
  if they gave an address, an SMS through `APPLICATION_SMS_SENDER` if configured and they gave a number;
* the staff, when a poor rating re-opens a message: the assignee, the person who replied and the
  disclosure-office administrators of the handling organisation and above.

The contact data is encrypted at rest (`Message.contact`); the task gets only the message's id and reads
the address itself, so no address passes through the queue. Log lines name the tracking code, never an
address. Each notice is recorded in `Message.notices_sent`, so a retried task sends nothing twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_task

from gongkai.core.models import Membership, Role

from .models import Message

logger = logging.getLogger("gongkai.interaction")

CITIZEN_NOTICES = {
    "replied": ("您的留言已答复", "{org}已答复您的留言“{subject}”。请在留言查询页面输入查询码和查询密码查看答复并评价。"),
    "published": ("您的留言答复已公开", "{org}对您的留言“{subject}”的答复已在政民互动“答复公开”栏目公开，您的姓名和联系方式不公开。"),
}


def _track_url() -> str:
    try:
        path = reverse("portal:interaction_track")
    except NoReverseMatch:
        return ""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _mark(message: Message, key: str) -> bool:
    """Record `key` as sent; False when it was sent before (a retried or repeated task)."""
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if key in locked.notices_sent:
            return False
        locked.notices_sent = [*locked.notices_sent, key]
        locked.save(update_fields=["notices_sent"])
    return True


def citizen_notice_send(*, message_id: int, kind: str, key: str) -> bool:
    """Tell the citizen about a reply (`kind` replied/published). True when a notice went out."""
    message = Message.objects.select_related("organisation", "mailbox__organisation").filter(pk=message_id).first()
    if message is None or kind not in CITIZEN_NOTICES or key in message.notices_sent:
        return False
    contact = message.contact or {}  # decrypted here, in the task, and nowhere else
    email, phone = (contact.get("email") or "").strip(), (contact.get("phone") or "").strip()
    sms_path = getattr(settings, "APPLICATION_SMS_SENDER", "")
    if not email and not (phone and sms_path):
        return False
    subject, text = CITIZEN_NOTICES[kind]
    text = text.format(org=message.organisation.name, subject=message.subject)
    body = f"{text}\n\n查询码：{message.tracking_code}\n{_track_url()}\n\n（本邮件由系统发送，请勿直接回复。）"
    if not _mark(message, key):
        return False
    sent = False
    if email:
        try:
            send_mail(f"【政民互动】{subject}", body, settings.DEFAULT_FROM_EMAIL, [email])
            sent = True
        except Exception:  # noqa: BLE001 — a mail outage must not undo the reply; logged without the address
            logger.warning("e-mail notice %s for message %s could not be sent", kind, message.tracking_code)
    if phone and sms_path:
        try:
            import_string(sms_path)(phone, f"【政民互动】{subject}。查询码 {message.tracking_code}")
            sent = True
        except Exception:  # noqa: BLE001
            logger.warning("SMS notice %s for message %s failed", kind, message.tracking_code)
    return sent


def staff_addresses(message: Message) -> list[str]:
    """Who handles a re-opened message: its assignee, the person who replied, and the office administrators
    of the handling organisation and its ancestors (the disclosure office above it)."""
    users = [message.assignee] if message.assignee_id else []
    replied = message.events.filter(type="replied").exclude(by=None).select_related("by").order_by("-at", "-id").first()
    if replied is not None:
        users.append(replied.by)
    ancestor_ids = [int(p) for p in message.organisation.path.strip("/").split("/") if p]
    users += [m.user for m in Membership.objects.filter(role=Role.OFFICE_ADMIN, organisation_id__in=ancestor_ids)
              .select_related("user")]
    return sorted({u.email for u in users if u is not None and u.email and u.is_active})


def staff_reopened_send(*, message_id: int, key: str) -> int:
    """Tell the staff that a poor rating re-opened a message; returns the number of addresses written to."""
    message = Message.objects.select_related("organisation", "assignee").filter(pk=message_id).first()
    if message is None or key in message.notices_sent:
        return 0
    to = staff_addresses(message)
    if not to or not _mark(message, key):
        return 0
    text = (f"留言 {message.tracking_code}“{message.subject}”的留言人对答复评价为 {message.rating} 分（不满意），"
            f"已申请重新办理。新的答复期限：{message.due_on:%Y年%-m月%-d日}。请在工作台“留言办理”中处理。"
            if message.due_on else
            f"留言 {message.tracking_code}“{message.subject}”的留言人对答复不满意，已申请重新办理。")
    try:
        send_mail(f"【留言重新办理】{message.subject}", text, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # noqa: BLE001
        logger.warning("re-opening notice for message %s could not be sent", message.tracking_code)
        return 0
    return len(to)


@db_task()
def citizen_notify(message_id: int, kind: str, key: str) -> bool:
    return citizen_notice_send(message_id=message_id, kind=kind, key=key)


@db_task()
def staff_notify_reopened(message_id: int, key: str) -> int:
    return staff_reopened_send(message_id=message_id, key=key)
