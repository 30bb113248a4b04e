"""Demo data of oversight, so that a newcomer sees real-looking scores: per demo department a handful of
applications and messages with realistic reply times (built through the applications and interaction
services), findings to rectify, the demo government's 2026 工作要点 (after the shape of seed 002), three
public-opinion incidents with their clocks, press conferences, 30 days of usage counts, the default
scheme and a stored result of 2026-Q3."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gongkai.applications import services as applications
from gongkai.core import workdays
from gongkai.core.models import Organisation, User
from gongkai.documents.selectors import documents_public
from gongkai.interaction import services as interaction

from . import services
from .models import Incident, UsageDaily, WorkPlan
from .periods import period_parse

YEAR = 2026
# Reply behaviour per department (working days after receipt, None: still open) — a spread of scores.
PROFILES = {
    "DEMO00002": {"apps": [8, 12, 15, 18, 16, 19], "msgs": [2, 3, 4, 5, 3, 2], "fix": [True, True, True]},
    "DEMO00003": {"apps": [12, 19, 24, 17, 14, None], "msgs": [3, 6, 4, 5, 8, 2], "fix": [True, False, True]},
    "DEMO00004": {"apps": [16, 18, 20, 13, 11, 15], "msgs": [4, 5, 5, 7, 3, 4], "fix": [True, True, None]},
    "DEMO00005": {"apps": [21, 26, 18, 33, None, 19], "msgs": [6, 9, 4, None, 7, 5], "fix": [False, None, True]},
    "DEMO00006": {"apps": [9, 10, 14, 12, 17, 8], "msgs": [1, 2, 3, 2, 4, 3], "fix": [True, True, True]},
    "DEMO00007": {"apps": [15, 20, 22, 19, 18, 16], "msgs": [5, 5, 6, 4, 3, 6], "fix": [True, None, False]},
}
RECEIVED = [dt.date(YEAR, 2, 3), dt.date(YEAR, 4, 13), dt.date(YEAR, 6, 8), dt.date(YEAR, 7, 20),
            dt.date(YEAR, 8, 24), dt.date(YEAR, 9, 7)]
REQUESTS = ["请公开本单位2025年部门决算及“三公”经费支出明细", "申请公开某项目环境影响评价批复文件",
            "请提供本区2026年义务教育招生划片方案", "申请公开城市更新项目征收补偿方案", "请公开2025年度行政处罚决定书目录",
            "申请获取本单位政府信息公开工作年度报告原件"]
QUESTIONS = [("公积金提取", "请问租房提取住房公积金需要哪些材料？"), ("社保转移", "外地社保转入本市如何办理？"),
             ("学位申请", "随迁子女入学需要准备什么证明？"), ("停车收费", "老旧小区周边道路停车收费标准是多少？"),
             ("营业执照", "个体工商户营业执照变更经营范围能否网上办理？"), ("养老补贴", "八十周岁以上老人补贴何时发放？")]
FINDINGS = [("third_party", "政策文件栏目存在2篇文件无发布日期"), ("citizen", "办事指南中咨询电话已停用"),
            ("national_check", "政策解读未与原文件相互关联")]
PLAN_TASKS = [
    ("一", "围绕优化营商环境加强公开", None, None, [
        ("1", "做好惠企政策集中公开和精准推送", "DEMO00002", dt.date(YEAR, 6, 30), True),
        ("2", "规范性文件发布后3个工作日内发布解读，实现100%解读", "DEMO00006", dt.date(YEAR, 9, 30), True),
    ]),
    ("二", "围绕保障改善民生加强公开", None, None, [
        ("3", "公开义务教育招生政策和划片结果", "DEMO00003", dt.date(YEAR, 8, 31), False),
        ("4", "公开就业创业补贴发放情况", "DEMO00004", dt.date(YEAR, 10, 31), True),
        ("5", "公开国土空间规划和征地补偿信息", "DEMO00005", dt.date(YEAR, 11, 15), None),
    ]),
    ("三", "强化工作保障", None, None, [
        ("6", "制定年度政务公开工作任务清单并报送落实情况", "DEMO00007", dt.date(YEAR, 12, 31), None),
    ]),
]
ZERO_QUERIES = [("出租车 补贴", 23), ("电动自行车 上牌", 17), ("公租房 退出", 11), ("高龄津贴 标准", 9), ("二手房 契税", 6)]
REFERRERS = [("www.baidu.com", 140), ("www.gov.cn", 36), ("cn.bing.com", 22), ("mp.weixin.qq.com", 18)]


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _applications(org: Organisation, offsets: list, today: dt.date) -> None:
    for n, (received, offset) in enumerate(zip(RECEIVED, offsets, strict=True)):
        if received >= today:
            continue
        case = applications.application_create(organisation=org, by=None, applicant_kind="natural_person",
                                               applicant={}, channel="online", description=REQUESTS[n], imported=True,
                                               external_id=f"demo-oversight-{org.code}-{n}")
        case = applications.application_record_event(application=case, by=None, type="received", occurred_on=received)
        if offset is not None:
            replied = workdays.add_working_days(received, offset)
            if replied < today:
                applications.application_record_event(application=case, by=None, type="determination",
                                                       occurred_on=replied, fields={"outcome": "disclosed"})


def _messages(org: Organisation, offsets: list, today: dt.date) -> None:
    box = interaction.mailbox_create(organisation=org, kind="consultation", name=f"{org.short_name or org.name}咨询",
                                     slug=f"demo-zixun-{org.code.lower()}")
    for n, ((subject, text), offset) in enumerate(zip(QUESTIONS, offsets, strict=True)):
        submitted = _at(workdays.add_working_days(dt.date(YEAR, 3 + n, 2), 0), 9 + n)
        m = interaction.message_submit(mailbox=box, subject=subject, text=text, contact={"name": "演示留言人"},
                                       consent_publish=True, client_address=f"demo-{org.code}-{n}", now=submitted).message
        if offset is None:
            continue
        replied_on = workdays.add_working_days(submitted.date(), offset)
        if replied_on >= today:
            continue
        m = interaction.message_act(message=m, type="accepted", by=None, system=True, at=submitted + dt.timedelta(hours=2))
        interaction.message_act(message=m, type="replied", by=None, system=True, at=_at(replied_on, 15),
                                text=f"您好，关于“{subject}”的问题，请登录政务服务网查看办事指南，或拨打12345热线咨询。")


def _rectifications(org: Organisation, fixes: list, today: dt.date) -> None:
    for n, ((source, title), fix) in enumerate(zip(FINDINGS, fixes, strict=True)):
        found = dt.date(YEAR, 4 + 2 * n, 6)
        r = services.rectification_create(organisation=org, by=None, source=source, title=title, found_on=found,
                                          reference=f"DEMO-{org.code}-{n + 1}")
        if fix is None:
            continue
        answered = r.deadline - dt.timedelta(days=2) if fix else r.deadline + dt.timedelta(days=9)
        services.rectification_answer(rectification=r, by=None, answer="已逐条整改并复查页面。",
                                      evidence=[f"https://www.example.gov.cn/{org.code.lower()}/zhenggai/{n + 1}"], on=answered)
        services.rectification_recheck(rectification=r, by=None, accept=True, on=answered + dt.timedelta(days=3))


def _plan(government: Organisation, orgs: dict[str, Organisation], today: dt.date) -> None:
    plan = services.plan_create(organisation=government, year=YEAR, title=f"示例市{YEAR}年政务公开工作要点", by=None)
    for number, title, _, _, children in PLAN_TASKS:
        head = services.task_create(plan=plan, by=None, number=number, title=title, lead_unit=government)
        for child_no, child_title, code, deadline, done in children:
            task = services.task_create(plan=plan, by=None, number=child_no, title=child_title, lead_unit=orgs[code],
                                        deadline=deadline, parent=head, paragraph=f"工作要点第{child_no}条")
            if done is None:
                if deadline - dt.timedelta(days=40) < today:
                    services.task_report(task=task, by=None, text="正在推进，已完成前期调研。",
                                         on=min(today, deadline) - dt.timedelta(days=20))
                continue
            on = deadline - dt.timedelta(days=5) if done else deadline + dt.timedelta(days=12)
            if on < today:
                services.task_report(task=task, by=None, text="任务已完成，材料已在政府网站公开。", on=on,
                                     evidence=[f"https://www.example.gov.cn/gongkai/renwu/{child_no}"], completes=True)


def _incidents(orgs: dict[str, Organisation]) -> None:
    kept = services.incident_create(organisation=orgs["DEMO00006"], by=None, title="网传某品牌桶装水检出超标",
                                    source="微博", level="very_major", first_seen_at=_at(dt.date(YEAR, 7, 14), 21, 40))
    services.incident_act(incident=kept, by=None, kind="info", at=_at(dt.date(YEAR, 7, 14), 23, 55),
                          text="发布抽检情况通报，说明检测结果和处置措施", url="https://www.example.gov.cn/scjg/tongbao/0714")
    services.incident_act(incident=kept, by=None, kind="press", at=_at(dt.date(YEAR, 7, 15), 15),
                          text="召开新闻发布会，通报调查进展")
    services.incident_close(incident=kept, by=None, at=_at(dt.date(YEAR, 7, 20)))
    services.conference_plan(organisation=orgs["DEMO00006"], by=None, topic="桶装水质量抽检情况", speakers="市市场监管局副局长",
                             held_on=dt.date(YEAR, 7, 15), incident=kept)
    late = services.incident_create(organisation=orgs["DEMO00005"], by=None, title="某片区征收补偿标准引发质疑",
                                    source="本地论坛", level="major", first_seen_at=_at(dt.date(YEAR, 9, 8), 9, 15))
    services.incident_act(incident=late, by=None, kind="info", at=_at(dt.date(YEAR, 9, 8), 16, 30),
                          text="发布补偿标准政策解读和咨询电话", url="https://www.example.gov.cn/zrzy/jiedu/0908")
    services.incident_close(incident=late, by=None, at=_at(dt.date(YEAR, 9, 12)))
    general = services.incident_create(organisation=orgs["DEMO00003"], by=None, title="家长询问学区划片调整",
                                       source="12345 热线", level="general", first_seen_at=_at(dt.date(YEAR, 8, 3), 10))
    services.incident_act(incident=general, by=None, kind="info", at=_at(dt.date(YEAR, 8, 3), 17),
                          text="在政府网站发布划片方案问答", url="https://www.example.gov.cn/jyj/wenda/0803")
    services.conference_plan(organisation=orgs["DEMO00004"], by=None, topic=f"{YEAR}年就业创业补贴政策", speakers="市人力社保局局长",
                             held_on=dt.date(YEAR, 10, 20), plan_filed_on=dt.date(YEAR, 10, 12))


def _usage(today: dt.date) -> None:
    rng = random.Random(24)
    docs = list(documents_public().order_by("-published_at").values_list("index_no", flat=True)[:8])
    rows = []
    for back in range(30):
        day = today - dt.timedelta(days=back)
        weekday = day.weekday() < 5
        rows.append(UsageDaily(day=day, kind="page", key="/", count=rng.randint(180, 260) if weekday else rng.randint(60, 110)))
        rows.append(UsageDaily(day=day, kind="page", key="/zhengce/", count=rng.randint(90, 150) if weekday else rng.randint(20, 50)))
        for n, index_no in enumerate(docs):
            rows.append(UsageDaily(day=day, kind="document", key=index_no, count=max(1, rng.randint(5, 40) // (n + 1))))
        for query, n in ZERO_QUERIES:
            if rng.random() < 0.6:
                rows.append(UsageDaily(day=day, kind="search_zero", key=query, count=max(1, n // 10 + rng.randint(0, 2))))
        for domain, n in REFERRERS:
            rows.append(UsageDaily(day=day, kind="referrer", key=domain, count=max(1, n // 10 + rng.randint(0, 3))))
    UsageDaily.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def load_demo_oversight(*, government: Organisation, admin: User | None = None, stdout=None) -> None:
    if WorkPlan.objects.filter(organisation=government, year=YEAR).exists():
        return
    today = timezone.localdate()
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=list(PROFILES))}
    for code, profile in PROFILES.items():
        if code not in orgs:
            continue
        _applications(orgs[code], profile["apps"], today)
        _messages(orgs[code], profile["msgs"], today)
        _rectifications(orgs[code], profile["fix"], today)
    _plan(government, orgs, today)
    if not Incident.objects.exists():
        _incidents(orgs)
    _usage(today)
    scheme = services.scheme_seed(year=YEAR)
    agencies = Organisation.objects.filter(code__in=list(PROFILES)).order_by("path")
    if today > dt.date(YEAR, 9, 30):
        services.assessment_store(scheme=scheme, period=period_parse(f"{YEAR}-Q3"), organisations=agencies, by=None)
    if stdout is not None:
        stdout.write(f"考核评估演示数据：{len(orgs)} 个部门的申请、留言和整改，{YEAR} 年工作要点，舆情 3 起，访问统计 30 天。")
