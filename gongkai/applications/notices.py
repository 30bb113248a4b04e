"""Notices to the applicant: what each step of the case tells them, by e-mail and, when configured, SMS.

Called by the one write door (`services.application_record_event`) after the step is committed, so a
refused or rolled-back step never sends anything. Nothing here logs the applicant's address, number
or the text of the notice: log lines name the tracking code only.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from .models import Application

logger = logging.getLogger("gongkai.applications.intake")


def applicant_notify(*, application: Application, subject: str, text: str) -> None:
    """Tell the applicant by e-mail and SMS where they gave an address/number. Failures are logged
    without the address, the number or the text."""
    data = application.applicant or {}
    if data.get("email"):
        try:
            send_mail(f"【政府信息公开申请】{subject}", f"{text}\n\n查询码：{application.tracking_code}",
                      settings.DEFAULT_FROM_EMAIL, [data["email"]])
        except Exception:  # noqa: BLE001 — a mail server outage must not undo the case step
            logger.warning("e-mail notice for application %s could not be sent", application.tracking_code)
    if data.get("phone"):
        path = settings.APPLICATION_SMS_SENDER
        if not path:
            logger.info("SMS not configured: notice for application %s not sent by SMS", application.tracking_code)
            return
        try:
            import_string(path)(data["phone"], f"【政府信息公开】{subject}。查询码 {application.tracking_code}")
        except Exception:  # noqa: BLE001
            logger.warning("SMS notice for application %s failed", application.tracking_code)


def notice_for(application: Application, type: str, fields: dict[str, Any]) -> tuple[str, str] | None:
    org = application.organisation.name
    if type == "received":
        return "已收到您的申请", f"{org}已确认收到您的政府信息公开申请，答复期限为 {application.due_on or '—'}。"
    if type == "supplement_requested":
        return "请补正申请", f"{org}请您补正申请：{fields.get('items', '')}。请在 {fields.get('due_on')} 前通过查询页面在线补正。"
    if type == "extension":
        return "答复期限延长", f"经批准，{org}延长答复期限，新的答复期限为 {application.due_on or '—'}。"
    if type == "reasonable_period":
        return "确定答复期限", f"{org}依条例第三十五条确定了答复的合理期限，答复期限为 {application.due_on or '—'}。"
    if type == "fee_notice":
        return "信息处理费通知", f"{org}向您发出信息处理费通知，金额 {fields.get('amount')} 元。"
    if type == "determination":
        return "已作出答复", f"{org}已对您的申请作出答复，请登录查询页面查看。"
    if type == "transferred":
        return "申请已转交", f"您的申请已转交{fields.get('to_organisation_name', '')}办理。"
    return None
