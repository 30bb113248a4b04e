"""Writes of the annual report: drafting, review, publication (freezing), correction, import."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from gongkai.core.models import Membership, Organisation, Role, User
from gongkai.core.selectors import user_roles
from gongkai.core.services import audit_record

from .builder import legal_deadline, report_data, report_facts_text
from .checks import COMPLETENESS, check_completeness
from .format import REMEDY_GROUPS, REMEDY_RESULTS, TABLE2_ITEM1_ROWS, TABLE3_COLUMNS, TABLE3_ROWS
from .models import AnnualReport
from .selectors import report_checks, report_latest

EDIT_ROLES = {Role.OFFICE_ADMIN, Role.EDITOR, Role.PLATFORM_ADMIN}
PUBLISH_ROLES = {Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN}
APPROVE_ROLES = {Role.OFFICE_ADMIN, Role.PLATFORM_ADMIN, Role.REVIEWER, Role.SIGNER}
TEXT_FIELDS = ["section1", "section5", "section6", "figures_source"]
FIGURE_FIELDS = ["licensing_decisions", "penalty_decisions", "enforcement_decisions", "fees_amount"]


def _require(user: User | None, organisation: Organisation, roles: set[str], verb: str) -> None:
    if user is not None and not user_roles(user=user, organisation=organisation) & roles:
        raise PermissionDenied(f"您没有权限{verb}“{organisation.name}”的年度报告。")


@transaction.atomic
def report_draft_create(*, organisation: Organisation, year: int, by: User | None) -> AnnualReport:
    """Start the year's report, pre-filled with facts drawn from the data and last year's problems section."""
    _require(by, organisation, EDIT_ROLES, "起草")
    if year > timezone.localdate().year:
        raise ValidationError("不能为尚未开始的年度起草年度报告。")
    existing = report_latest(organisation=organisation, year=year)
    if existing is not None:
        raise ValidationError(f"{year} 年度报告已存在（第 {existing.version} 版，{existing.get_status_display()}）。")
    report = AnnualReport.objects.create(
        organisation=organisation, year=year, created_by=by,
        include_descendants=organisation.annual_report_includes_descendants,
    )
    prefill = report_facts_text(report_data(report))
    report.section1, report.section6 = prefill["1"], prefill["6"]
    report.save(update_fields=["section1", "section6"])
    audit_record(actor=by, action="report.create", obj=report, organisation=organisation)
    return report


def _clean_figure(field: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if field == "fees_amount":
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValidationError({field: "收费金额须为数字（单位：万元，最多 4 位小数）。"}) from exc
        if amount < 0 or amount != amount.quantize(Decimal("0.0001")):
            raise ValidationError({field: "收费金额须为非负数，单位万元，最多 4 位小数。"})
        return amount
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: "请填写非负整数。"}) from exc
    if number < 0:
        raise ValidationError({field: "请填写非负整数。"})
    return number


@transaction.atomic
def report_update(*, report: AnnualReport, by: User | None, **fields: Any) -> AnnualReport:
    """Edit the prose sections and the figures the platform does not hold (with their source)."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require(by, report.organisation, EDIT_ROLES, "修改")
    if report.status != AnnualReport.Status.DRAFT:
        raise ValidationError("只有草稿状态的年度报告可以修改；已发布的报告请使用“更正”生成新版本。")
    unknown = set(fields) - set(TEXT_FIELDS) - set(FIGURE_FIELDS) - {"include_descendants"}
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    before = {f: str(getattr(report, f)) for f in fields}
    for field, value in fields.items():
        setattr(report, field, _clean_figure(field, value) if field in FIGURE_FIELDS else value)
    report.save()
    audit_record(actor=by, action="report.update", obj=report, organisation=report.organisation, before=before,
                 after={f: str(getattr(report, f)) for f in fields})
    return report


@transaction.atomic
def report_submit(*, report: AnnualReport, by: User | None) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require(by, report.organisation, EDIT_ROLES, "提交")
    if report.status != AnnualReport.Status.DRAFT:
        raise ValidationError("只有草稿可以提交审核。")
    report.status = AnnualReport.Status.IN_REVIEW
    report.submitted_by, report.approved_by, report.approved_at = by, None, None
    report.save(update_fields=["status", "submitted_by", "approved_by", "approved_at"])
    audit_record(actor=by, action="report.submit", obj=report, organisation=report.organisation)
    return report


@transaction.atomic
def report_return(*, report: AnnualReport, by: User | None, reason: str) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require(by, report.organisation, PUBLISH_ROLES, "退回")
    if report.status != AnnualReport.Status.IN_REVIEW:
        raise ValidationError("只有审核中的报告可以退回。")
    if not reason.strip():
        raise ValidationError("退回必须说明理由。")
    report.status = AnnualReport.Status.DRAFT
    report.approved_by, report.approved_at = None, None
    report.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(actor=by, action="report.return", obj=report, organisation=report.organisation, note=reason)
    return report


@transaction.atomic
def report_approve(*, report: AnnualReport, by: User) -> AnnualReport:
    """A second person approves the submitted report for publication (先审查、后公开). As in the review of
    documents (compliance: the drafter does not approve their own text), the approver is neither the
    drafter nor the submitter. Only a complete report can be approved."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require(by, report.organisation, APPROVE_ROLES, "审核")
    if report.status != AnnualReport.Status.IN_REVIEW:
        raise ValidationError("只有审核中的报告可以审核通过。")
    if by is not None and by.pk in {report.created_by_id, report.submitted_by_id}:
        raise ValidationError("起草或提交年度报告的人不能审核自己的报告，请由另一名审核人审核。")
    _require_complete(report)
    report.approved_by, report.approved_at = by, timezone.now()
    report.save(update_fields=["approved_by", "approved_at"])
    audit_record(actor=by, action="report.approve", obj=report, organisation=report.organisation)
    return report


def _require_complete(report: AnnualReport, checks: list | None = None) -> None:
    checks = checks if checks is not None else [check_completeness(report_data(report))]
    for check in checks:
        if check.rule == COMPLETENESS and not check.passed:
            raise ValidationError(f"年度报告不完整，不能审核或发布：{'；'.join(check.details)}。")


@transaction.atomic
def report_publish(*, report: AnnualReport, by: User | None, accept_warnings: str = "") -> AnnualReport:
    """Freeze and publish. Failed checks block publication unless a reason for accepting them is given."""
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    _require(by, report.organisation, PUBLISH_ROLES, "发布")
    if report.status != AnnualReport.Status.IN_REVIEW:
        raise ValidationError("年度报告须先提交审核，审核中才能发布。")
    data = report_data(report)
    checks = report_checks(report=report, data=data)
    _require_complete(report, checks)
    if report.approved_by_id is None:
        raise ValidationError("年度报告须经另一名审核人审核通过后才能发布。")
    failed = [c for c in checks if not c.passed]
    if failed and not accept_warnings.strip():
        lines = "；".join(f"{c.rule} {c.title}" for c in failed)
        raise ValidationError(f"以下检查未通过：{lines}。请修正，或填写带警告发布的理由。")
    now = timezone.now()
    report.status = AnnualReport.Status.PUBLISHED
    report.published_at, report.published_by = now, by
    report.accepted_warnings = accept_warnings.strip() if failed else ""
    data = {**data, "status": report.status, "published_at": now.isoformat(), "checks": [c.as_dict() for c in checks]}
    report.data = json.loads(json.dumps(data, default=str))
    report.save()
    audit_record(actor=by, action="report.publish", obj=report, organisation=report.organisation,
                 after={"version": report.version, "failed_checks": [c.rule for c in failed]}, note=report.accepted_warnings)
    return report


@transaction.atomic
def report_correct(*, report: AnnualReport, by: User | None, note: str) -> AnnualReport:
    """Start a corrected version of a published report; the published one stays as it was."""
    _require(by, report.organisation, EDIT_ROLES, "更正")
    if report.status != AnnualReport.Status.PUBLISHED or report.source != AnnualReport.Source.PLATFORM:
        raise ValidationError("只有已发布的平台报告可以更正。")
    if not note.strip():
        raise ValidationError("更正必须说明更正内容和原因，该说明将随新版本公开。")
    latest = report_latest(organisation=report.organisation, year=report.year)
    if latest.pk != report.pk:
        raise ValidationError(f"已有更新的第 {latest.version} 版，请在最新版本上更正。")
    copy = AnnualReport.objects.create(
        organisation=report.organisation, year=report.year, version=report.version + 1, created_by=by,
        include_descendants=report.include_descendants, correction_note=note.strip(),
        **{f: getattr(report, f) for f in TEXT_FIELDS + FIGURE_FIELDS},
    )
    audit_record(actor=by, action="report.correct", obj=copy, organisation=report.organisation, note=note)
    return copy


# --- Import of a published report (years before the platform) ---------------------------------------------


def _int_list(value: Any, length: int, where: str) -> list[int]:
    if not isinstance(value, list) or len(value) != length or not all(isinstance(v, int) and v >= 0 for v in value):
        raise ValidationError(f"{where} 须为 {length} 个非负整数。")
    return value


@transaction.atomic
def report_import(*, payload: dict, by: User | None) -> AnnualReport:
    """Import last years' published tables (docs/annual-report-import.md) for R5/R6 and 雷同率."""
    from .builder import assemble

    try:
        organisation = Organisation.objects.get(code=payload["organisation"])
        year = int(payload["year"])
    except KeyError as exc:
        raise ValidationError(f"缺少字段 {exc}") from exc
    except Organisation.DoesNotExist as exc:
        raise ValidationError(f"机构代码“{payload['organisation']}”不存在。") from exc
    table2 = payload.get("table2", {})
    item1 = {key: _int_list(table2.get(key), 3, f"table2.{key}") for key, _ in TABLE2_ITEM1_ROWS}
    rows = payload.get("table3", {})
    table3 = {}
    for row in TABLE3_ROWS:
        values = _int_list(rows.get(row.key), len(TABLE3_COLUMNS), f"table3.{row.key}（{row.label}）")
        table3[row.key] = dict(zip([k for k, _ in TABLE3_COLUMNS], values, strict=True))
    t4 = payload.get("table4", {})
    table4 = {}
    for group, label in REMEDY_GROUPS:
        values = _int_list(t4.get(group), len(REMEDY_RESULTS), f"table4.{group}（{label}）")
        for (result, _), value in zip(REMEDY_RESULTS, values, strict=True):
            table4[f"{group}.{result}"] = value
    sections = payload.get("sections", {})
    existing = AnnualReport.objects.filter(organisation=organisation, year=year)
    if existing.filter(source=AnnualReport.Source.PLATFORM).exists():
        raise ValidationError(f"{organisation.name}{year} 年度报告已在平台生成，不能再导入。")
    existing.delete()  # re-importing replaces the previous import of the same year
    report = AnnualReport(
        organisation=organisation, year=year, status=AnnualReport.Status.PUBLISHED, source=AnnualReport.Source.IMPORTED,
        section1=sections.get("1", ""), section5=sections.get("5", ""), section6=sections.get("6", ""),
        licensing_decisions=table2.get("licensing"), penalty_decisions=table2.get("penalty"),
        enforcement_decisions=table2.get("enforcement"),
        fees_amount=_clean_figure("fees_amount", table2.get("fees")), created_by=by, published_at=timezone.now(),
    )
    report.data = json.loads(json.dumps(assemble(report=report, item1=item1, table3=table3, table4=table4), default=str))
    report.data["status"] = AnnualReport.Status.PUBLISHED
    report.save()
    audit_record(actor=by, action="report.import", obj=report, organisation=organisation)
    return report


# --- Reminders -------------------------------------------------------------------------------------------


def reports_remind_due(*, today: dt.date | None = None, days: list[int] | None = None) -> int:
    """E-mail the responsible office on the configured days before the legal deadline of last year's report."""
    from django.conf import settings

    today = today or timezone.localdate()
    days = days if days is not None else settings.REPORT_REMINDER_DAYS
    year = today.year - 1
    sent = 0
    for organisation in Organisation.objects.filter(is_active=True):
        deadline = legal_deadline(organisation=organisation, year=year)
        remaining = (deadline - today).days
        if remaining not in days:
            continue
        if report_latest(organisation=organisation, year=year, published_only=True):
            continue
        recipients = sorted(
            {
                m.user.email
                for m in Membership.objects.filter(organisation=organisation, role=Role.OFFICE_ADMIN).select_related("user")
                if m.user.email
            }
        )
        if not recipients:
            continue
        send_mail(
            subject=f"【提醒】{organisation.name}{year}年政府信息公开工作年度报告须于{deadline:%Y年%-m月%-d日}前发布",
            message=(
                f"{organisation.name}{year}年政府信息公开工作年度报告尚未发布，距法定期限（{deadline:%Y年%-m月%-d日}，"
                f"《政府信息公开条例》第四十九条）还有 {remaining} 天。请在平台完成起草、审核和发布。"
            ),
            from_email=None,
            recipient_list=recipients,
        )
        sent += 1
    return sent
