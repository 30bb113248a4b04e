"""Demo data: the demo government's yearly 重大行政决策事项目录 and two consultations built from the seed
documents' own examples (seed 002 8-9: catalogue with linked materials, feedback within 10 working days;
seed 000 一(一): draft and explanation, channels, period, feedback within 1 month)."""

from __future__ import annotations

import datetime as dt
import io

import docx
from django.core.files import File
from django.db import transaction

from gongkai.core.models import Organisation, User

from . import selectors, services
from .models import Consultation, DecisionItem, OpinionGroup

CATALOGUE = [
    ("示例市养老服务设施布局专项规划（2026-2035年）", "DEMO00005", "《中华人民共和国老年人权益保障法》《重大行政决策程序暂行条例》", "2026年第四季度"),
    ("示例市城市停车设施建设管理办法", "DEMO00006", "《中华人民共和国道路交通安全法》", "2026年第三季度"),
    ("示例市义务教育阶段学校布局调整方案", "DEMO00003", "《中华人民共和国义务教育法》", "2026年第二季度"),
    ("示例市就业创业补贴政策调整", "DEMO00004", "《中华人民共和国就业促进法》", "2026年第四季度"),
]

OPEN_DRAFT = """第一条 为规范本市居家养老服务补贴发放工作，保障老年人合法权益，根据《中华人民共和国老年人权益保障法》等规定，结合本市实际，制定本办法。
第二条 本办法适用于本市户籍、年满八十周岁并在本市居住的老年人。
第三条 居家养老服务补贴标准为每人每月200元，经济困难的失能老年人每人每月400元。
第四条 补贴由老年人户籍所在地街道办事处（乡镇人民政府）受理，区民政部门审核，按月发放。
第五条 本办法自2027年1月1日起施行。"""

CLOSED_DRAFT = """第一条 为加强城市停车设施规划建设和管理，缓解停车难问题，制定本办法。
第二条 新建住宅项目应当按照每户不少于1个停车位的标准配建停车设施。
第三条 鼓励机关、企事业单位内部停车设施在夜间和节假日向社会开放。
第四条 道路临时停车泊位实行差别化收费，具体标准由市发展改革部门制定。"""

OPINIONS_OPEN = [
    ("建议将补贴范围扩大到年满七十五周岁的老年人。", 4, "第二条"),
    ("补贴标准多年未调整，建议建立与物价挂钩的动态调整机制。", 1, "第三条"),
    ("建议允许子女代为网上申请，减少老人跑腿。", 1, "第四条"),
]
OPINIONS_CLOSED = [
    ("支持机关单位停车场夜间开放，建议明确安全责任。", 6, "第三条", "adopted", ""),
    ("新建住宅每户1个车位偏少，建议提高到1.2个。", 2, "第二条", "partly", "结合本市实际，中心城区按1.2个、其他区域按1个配建。"),
    ("建议道路停车全部免费。", 1, "第四条", "not_adopted", "道路泊位资源有限，差别化收费有利于提高周转率。"),
    ("希望整治小区周边占道经营。", 1, None, "out_of_scope", "不属于本办法调整范围，已转城市管理部门。"),
]


def _article(consultation: Consultation, label: str | None):
    return consultation.articles.filter(label=label).first() if label else None


@transaction.atomic
def _background_docx() -> File:
    """The draft's background material as a Word file, as offices publish it."""
    document = docx.Document()
    document.add_heading("居家养老服务补贴标准测算说明", level=1)
    for text in (
        "一、测算依据。按照本市上年度城镇居民人均消费支出和居家养老服务项目的市场价格测算。",
        "二、补贴标准。经济困难的失能老年人每人每月600元，经济困难的半失能老年人每人每月400元，"
        "经济困难的其他老年人每人每月200元。",
        "三、资金测算。全市符合条件的老年人约1.2万人，年需补贴资金约4300万元，由市、区两级财政按比例分担。",
    ):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return File(io.BytesIO(buffer.getvalue()), name="居家养老服务补贴标准测算说明.docx")


def load_demo_consultations(*, government: Organisation, admin: User, stdout=None) -> None:
    """Create (once) the catalogue of the current year and the two consultations."""
    today = selectors.today_local()
    year = today.year
    if DecisionItem.objects.filter(catalogue_owner=government, year=year).exists():
        return
    units = {o.code: o for o in Organisation.objects.filter(code__in=[c for _, c, _, _ in CATALOGUE])}
    items = [services.decision_item_create(catalogue_owner=government, by=admin, year=year, title=title,
                                           owner_unit=units[code], legal_basis=basis, planned_schedule=when)
             for title, code, basis, when in CATALOGUE if code in units]
    services.decision_catalogue_publish(catalogue_owner=government, year=year, by=admin)
    services.decision_item_create(
        catalogue_owner=government, by=admin, year=year, title="示例市居家养老服务补贴发放办法",
        owner_unit=units.get("DEMO00004", government), legal_basis="《中华人民共和国老年人权益保障法》",
        planned_schedule=f"{year}年12月", reason="市政府常务会议研究决定年中增补")

    # One consultation open now: a normative-document draft, 7 working days at least (国办发〔2018〕37号).
    open_c = services.consultation_create(
        organisation=units.get("DEMO00004", government), by=admin, kind=Consultation.Kind.NORMATIVE,
        title="示例市居家养老服务补贴发放办法（征求意见稿）", draft_text=OPEN_DRAFT,
        explanation="为落实老年人权益保障法，统一全市居家养老服务补贴标准和发放程序，起草了本办法。起草过程中听取了各区民政部门和部分老年人代表的意见。",
        channels=["online", "email", "letter"], contact="电子邮箱：yijian@example.gov.cn\n通信地址：示例市人民路 1 号（邮编 100000）",
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=27),
        decision_item=DecisionItem.objects.filter(catalogue_owner=government, year=year, added_reason__gt="").first(),
    )
    services.consultation_attach(consultation=open_c, by=admin, file=_background_docx(),
                                 content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    services.consultation_publish(consultation=open_c, by=admin, today=open_c.starts_on)
    n = 0
    for text, copies, label in OPINIONS_OPEN:
        for _ in range(copies):
            n += 1
            opinion, _ = services.opinion_submit(
                consultation=open_c, body=text, idempotency_key=services.idempotency_key_new(),
                client_address=f"192.0.2.{n}", article=_article(open_c, label), today=today)
        services.opinion_moderate_group(group=opinion.group, by=admin, publish=True)

    # One closed with its feedback published: a major decision (30 days, 条例 第十五条), with a hearing.
    start = today - dt.timedelta(days=70)
    item = next((i for i in items if "停车" in i.title), None)
    closed = services.consultation_create(
        organisation=units.get("DEMO00006", government), by=admin, kind=Consultation.Kind.MAJOR_DECISION,
        title="示例市城市停车设施建设管理办法（征求意见稿）", draft_text=CLOSED_DRAFT,
        explanation="本市机动车保有量快速增长，停车供需矛盾突出。按照年度重大行政决策事项目录安排，起草了本办法。",
        channels=["online", "letter", "symposium"], contact="通信地址：示例市人民路 1 号",
        starts_on=start, ends_on=start + dt.timedelta(days=30), decision_item=item,
    )
    services.consultation_publish(consultation=closed, by=admin, today=start)
    for text, copies, label, outcome, reason in OPINIONS_CLOSED:
        for _ in range(copies):
            n += 1
            opinion, _ = services.opinion_submit(
                consultation=closed, body=text, idempotency_key=services.idempotency_key_new(),
                client_address=f"192.0.2.{n}", article=_article(closed, label), today=start + dt.timedelta(days=5))
        services.opinion_moderate_group(group=opinion.group, by=admin, publish=True)
        services.group_answer(group=OpinionGroup.objects.get(pk=opinion.group_id), by=admin, outcome=outcome,
                              reason=reason)
    services.opinion_enter(consultation=closed, by=admin, body="座谈会：出租车行业代表建议设置出租车临时停靠点。",
                           channel="symposium", received_on=start + dt.timedelta(days=10))
    entered = closed.opinions.get(channel="symposium")
    services.opinion_moderate(opinion=entered, by=admin, publish=True)
    services.group_answer(group=entered.group, by=admin, outcome="adopted")
    services.feedback_publish(
        consultation=closed, by=admin, today=start + dt.timedelta(days=40),
        summary="征求意见期间共收到意见11条（网上10条、座谈会1条），合并相同意见后为5条：采纳2条，部分采纳1条，不予采纳1条，"
                "不属于征求范围1条。较为集中的意见已在主要意见中说明采纳情况和理由。")
    if stdout is not None:
        stdout.write(f"意见征集：{year} 年度重大行政决策事项目录 {len(items) + 1} 项，征求意见 2 件")
