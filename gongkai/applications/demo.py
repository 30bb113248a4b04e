"""Demo cases of 依申请公开 (`gongkai demo`): one per rule of the one door and of issue 14, through the
same services staff use — so the demo shows what the workspace, the API and the tracking page show."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from gongkai.core.models import Organisation, User

from . import intake, letters, services
from .models import Application

APPLICANT = {"name": "李明", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13800000000",
             "email": "liming@example.com", "address": "示例市人民路 8 号"}


def _case(government: Organisation, handler: User, key: str, received_on: dt.date, description: str) -> Application | None:
    if Application.objects.filter(external_id=key).exists():
        return None
    application = services.application_create(
        organisation=government, by=handler, applicant_kind="natural_person", applicant=dict(APPLICANT),
        channel="in_person", description=description, external_id=key,
        submitted_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(10))),
    )
    return services.application_record_event(application=application, by=handler, type="received",
                                             occurred_on=received_on)


def _partial_after_review(government, staff, today):
    start = today - dt.timedelta(days=20)
    case = _case(government, staff["handler"], "DEMO-YSQ-1", start, "请公开 2025 年示例市道路改造项目的施工合同")
    if case is None:
        return
    review = intake.legal_review_request(application=case, by=staff["handler"], outcome="partial",
                                         draft="合同单价涉及商业秘密，拟部分公开")
    intake.legal_review_decide(review=review, by=staff["legal"], approve=True, comment="同意")
    case = services.application_record_event(
        application=case, by=staff["handler"], type="determination", occurred_on=start + dt.timedelta(days=7),
        fields={"outcome": "partial", "text": "现将合同正文（隐去单价）提供给您",
                "withheld_parts": [{"part": "合同单价", "reason": "涉及第三方商业秘密（第十五条）",
                                    "reason_code": "withheld_third_party"}]})
    letter = letters.letter_draft(application=case, kind="reply", by=staff["handler"])
    letters.letter_attach(letter=letter, by=staff["handler"], title="道路改造项目施工合同（隐去单价）",
                          file=ContentFile("施工合同正文（示例）".encode(), name="合同.txt"))


def _fee_by_volume(government, staff, today):
    start = today - dt.timedelta(days=21)
    case = _case(government, staff["handler"], "DEMO-YSQ-2", start, "请提供 2020—2025 年全部规划许可档案复印件")
    if case is None:
        return
    notice = services.fee_notice_issue(application=case, by=staff["handler"], basis="by_volume", pages=119,
                                       issued_on=start + dt.timedelta(days=3))
    services.fee_payment_record(fee_notice=notice, by=staff["handler"], paid_on=start + dt.timedelta(days=8),
                                receipt_no="FS-2026-0001")


def _consultation_left_open(government, staff, today):
    start = today - dt.timedelta(days=40)
    case = _case(government, staff["handler"], "DEMO-YSQ-3", start, "请公开某供热企业的价格成本监审报告")
    if case is None:
        return
    services.application_record_event(application=case, by=staff["handler"], type="consultation_started",
                                      occurred_on=start + dt.timedelta(days=2),
                                      fields={"kind": "third_party", "party": "示例热力有限公司"})


def _reasonable_period(government, staff, today):
    start = today - dt.timedelta(days=10)
    case = _case(government, staff["handler"], "DEMO-YSQ-4", start, "请公开 2010 年以来全部行政处罚决定书（共 60 项申请）")
    if case is None:
        return
    services.application_record_event(
        application=case, by=staff["handler"], type="reasonable_period", occurred_on=start + dt.timedelta(days=5),
        fields={"reasons_requested_on": start + dt.timedelta(days=1), "reasons": "学术研究需要，已说明研究计划",
                "days": 45, "notice_sent_on": start + dt.timedelta(days=5)})


def _identity_missing(government, staff, today):
    if Application.objects.filter(description="请公开示例市 2026 年民生实事项目清单（当面提交，未带身份证）").exists():
        return
    intake.application_register(
        organisation=government, by=staff["handler"], channel="in_person", applicant_kind="natural_person",
        applicant={"name": "王芳", "phone": "13900000000"}, submitted_on=today,
        description="请公开示例市 2026 年民生实事项目清单（当面提交，未带身份证）", identity_supplement=True)


def load_demo_applications(*, government: Organisation, stdout=None) -> int:
    """The demo cases (idempotent). Needs the demo staff (handler, legal); returns how many were added."""
    staff = {u.username: u for u in User.objects.filter(username__in=["handler", "legal", "office"])}
    if not {"handler", "legal"} <= set(staff):
        return 0
    today = timezone.localdate()
    before = Application.objects.count()
    for build in (_partial_after_review, _fee_by_volume, _consultation_left_open, _reasonable_period, _identity_missing):
        try:
            build(government, staff, today)
        except ValidationError as exc:  # e.g. a date the working-day calendar does not have yet
            if stdout is not None:
                stdout.write(f"演示案件未建立（{build.__name__}）：{'；'.join(exc.messages)}")
    added = Application.objects.count() - before
    if stdout is not None:
        stdout.write(f"依申请公开演示案件：新增 {added} 件（部分公开经法律审核、按量收费、征求意见逾期未复、第三十五条合理期限、补正身份证明）")
    return added
