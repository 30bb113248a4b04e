"""Writes of the core package: organisations, memberships, audit events, 索引号 numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import AuditEvent, IndexNoCounter, Membership, Organisation, Role, User

INDEX_PATTERN_KEYS = {"code", "year", "month", "seq"}


@transaction.atomic
def organisation_create(*, name: str, code: str, parent: Organisation | None = None, **fields: Any) -> Organisation:
    """Create an organisation under `parent` and set its materialised path."""
    org = Organisation(name=name, code=code, parent=parent, **fields)
    if org.index_no_pattern:
        index_pattern_validate(pattern=org.index_no_pattern)
    org.full_clean(exclude=["path"])
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    return org


@transaction.atomic
def membership_grant(*, user: User, organisation: Organisation, role: str, by: User | None = None) -> Membership:
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit_record(
            actor=by,
            action="membership.grant",
            obj=user,
            organisation=organisation,
            after={"role": role, "organisation": organisation.code},
        )
    return membership


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    organisation: Organisation | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    ip_address: str | None = None,
    access_only: bool = False,
) -> AuditEvent:
    """Append one event to the audit log. `access_only`: a look that changes nothing (see
    `audit_personal_data_read`)."""
    actor_name = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_name = str(actor)
    else:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor_name or "系统",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        organisation=organisation,
        before=before,
        after=after,
        note=note,
        ip_address=ip_address,
        access_only=access_only,
    )


PERSONAL_DATA_READ = "personal_data.read"


def audit_personal_data_read(*, actor: User, obj: Any, organisation: Organisation | None, what: str,
                             ip_address: str | None = None) -> AuditEvent:
    """Record that `actor` looked at the personal data of `obj` (a case's applicant, a letter to the
    applicant, a contact): who, which object, when, and `what` was shown. 个人信息保护法 第五十一条（六）
    and 等保2.0 安全审计 (GB/T 22239-2019 8.1.4.3) ask that access to personal information be recorded;
    the event is in the audit log (action personal_data.read) and its export like every other."""
    return audit_record(actor=actor, action=PERSONAL_DATA_READ, obj=obj, organisation=organisation,
                        note=what, ip_address=ip_address, access_only=True)


def index_pattern_validate(*, pattern: str) -> None:
    """Refuse a 索引号 pattern that names unknown fields or has no sequence number."""
    import string

    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise ValidationError(f"索引号格式有误：{exc}") from exc
    unknown = fields - INDEX_PATTERN_KEYS
    if unknown:
        raise ValidationError(f"索引号格式含未知字段：{', '.join(sorted(unknown))}；可用 {{code}} {{year}} {{month}} {{seq}}")
    if "seq" not in fields:
        raise ValidationError("索引号格式必须包含流水号 {seq}。")
    try:
        pattern.format(code="X", year=2026, month=1, seq=1)
    except (ValueError, KeyError) as exc:
        raise ValidationError(f"索引号格式有误：{exc}") from exc


def index_no_next(*, organisation: Organisation, on: dt.date) -> str:
    """Hand out the next 索引号 of `organisation` for the year of `on`.

    Must run inside the transaction that stores the number: the counter row stays locked until that
    transaction ends, and a rolled-back transaction gives its number back (no gaps).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("index_no_next must run inside a transaction")
    counter, _ = IndexNoCounter.objects.get_or_create(organisation=organisation, year=on.year)
    counter = IndexNoCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    pattern = organisation.index_no_pattern or settings.DEFAULT_INDEX_NO_PATTERN
    return pattern.format(code=organisation.code, year=on.year, month=f"{on.month:02d}", seq=counter.last_value)
