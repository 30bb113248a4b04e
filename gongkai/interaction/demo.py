"""Demo data of 政民互动: boxes of the demo government and three departments, messages in every state
(answered and published, forwarded, overdue, over the 3-month limit, invalid, rated poorly), and two
我为政府网站找错 reports. Idempotent: nothing is added when the mayor's box exists."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.models import Organisation

from .models import Mailbox, Survey
from .services import (
    error_report_act,
    error_report_submit,
    interview_create,
    interview_photo_add,
    interview_question_moderate,
    interview_question_submit,
    interview_transcript_publish,
    interview_transcript_save,
    mailbox_create,
    message_act,
    message_submit,
    survey_create,
    survey_respond,
)

BOXES = [  # (organisation code, kind, name, slug)
    ("DEMO00001", "mailbox", "市长信箱", "demo-shizhang"),
    ("DEMO00001", "complaint", "投诉建议", "demo-tousu"),
    ("DEMO00003", "consultation", "市教育局咨询", "demo-jiaoyu-zixun"),
    ("DEMO00004", "consultation", "市人力社保局咨询", "demo-renshe-zixun"),
]

# (box slug, days ago, subject, text, consent, steps); a step is (type, days after submission, fields)
MESSAGES = [
    ("demo-shizhang", 40, "幸福路夜间施工噪音扰民", "幸福路与人民路交叉口的工地连续两周夜里十一点以后还在施工，"
     "附近居民无法休息，希望有关部门查处。", True,
     [("accepted", 1, {}), ("replied", 6, {"text": "经市城管局现场核查，该工地未办理夜间施工许可。已责令其晚上十点后停止"
       "高噪声作业，并处以罚款。今后如再发现夜间施工，可拨打 12345 反映。"}), ("published", 7, {}), ("rated", 9, {"rating": 5})]),
    ("demo-shizhang", 12, "建议开通人民公园至高铁站的公交线路", "目前从人民公园到高铁站要换乘两次，单程一个多小时，"
     "建议开通直达线路或在高峰时段增开班次。", True, [("accepted", 1, {}), ("forwarded", 2, {"to": "DEMO00002"})]),
    ("demo-shizhang", 130, "老旧小区加装电梯补贴何时发放", "我们小区去年完成了加装电梯，按政策可申请补贴，"
     "材料交到街道已经半年，一直没有消息。", True, [("accepted", 2, {})]),
    ("demo-tousu", 20, "超市销售过期酸奶", "本人在和平路一家超市购买的酸奶已过保质期两天，与店方交涉未果。", False,
     [("accepted", 1, {}), ("replied", 5, {"text": "市市场监管局已到该超市核查，下架过期商品并立案调查，处理结果将另行告知。"})]),
    ("demo-tousu", 8, "骂人的话", "（含辱骂内容，此处略）", False, [("rejected", 1, {"reason": "abuse"})]),
    ("demo-jiaoyu-zixun", 30, "小学一年级入学报名需要哪些材料", "孩子今年九月上一年级，想问报名要准备什么材料，"
     "在哪里报名？我的电话 13812345678。", True,
     [("accepted", 1, {}), ("replied", 3, {"text": "报名须提供户口簿、房产证明或居住证、儿童预防接种证。每年6月上旬在"
       "“示例市义务教育招生平台”网上报名，具体时间以市教育局当年公告为准。"}), ("published", 4, {})]),
    ("demo-jiaoyu-zixun", 2, "民办幼儿园收费标准在哪里查", "想了解民办幼儿园的收费是否需要备案，在哪里能查到。",
     True, []),
    ("demo-jiaoyu-zixun", 16, "学区划分什么时候公布", "今年的学区划分方案什么时候公布？去年是五月份。", True,
     [("accepted", 1, {})]),
    ("demo-renshe-zixun", 45, "灵活就业人员如何缴纳养老保险", "我是个体户，想问灵活就业人员怎样参加职工养老保险，"
     "缴费基数怎么选？", True,
     [("accepted", 1, {}), ("replied", 4, {"text": "灵活就业人员可持身份证到户籍所在地社保经办机构或通过“示例人社”"
       "小程序办理参保登记，缴费基数可在全省上年度社会平均工资的60%至300%之间自选。"}), ("published", 5, {}),
      ("rated", 8, {"rating": 4})]),
    ("demo-renshe-zixun", 60, "失业保险金申领条件", "公司裁员，我交了三年失业保险，能领多久？", True,
     [("accepted", 3, {}), ("replied", 20, {"text": "累计缴费满1年不足5年的，领取期限最长为12个月。请在终止劳动合同之日起"
       "60日内到社保经办机构或网上办理申领。"}), ("published", 21, {}), ("rated", 25, {"rating": 2})]),
]


def _at(days_ago: float, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load_demo_interaction(*, stdout=None) -> None:
    if Mailbox.objects.filter(slug=BOXES[0][3]).exists():
        return
    orgs = {o.code: o for o in Organisation.objects.filter(code__in={b[0] for b in BOXES} | {"DEMO00002"})}
    boxes = {slug: mailbox_create(organisation=orgs[code], kind=kind, name=name, slug=slug)
             for code, kind, name, slug in BOXES if code in orgs}
    count = 0
    for slug, days_ago, subject, text, consent, steps in MESSAGES:
        if slug not in boxes:
            continue
        m = message_submit(mailbox=boxes[slug], subject=subject, text=text, consent_publish=consent,
                           contact={"name": "王女士", "phone": "13900001234"}, client_address=f"demo-{count}",
                           now=_at(days_ago, 9)).message
        for type_, after, fields in steps:
            fields = dict(fields)
            if "to" in fields:
                fields["to"] = orgs[fields["to"]]
            m = message_act(message=m, type=type_, by=None, system=True, at=_at(days_ago - after, 15), **fields)
        count += 1
    operator = orgs["DEMO00001"]
    error_report_submit(kind="broken_link", page_url="/gongkai/DEMO00003/",
                        description="“招生政策”栏目第二个附件打不开，显示404。",
                        page_owner=orgs.get("DEMO00003"), client_address="demo-zc1", now=_at(1, 11))
    fixed = error_report_submit(kind="typo", page_url="/gongkai/DEMO00001/", page_owner=operator,
                                description="机构职能页面“统筹协调”写成了“统愁协调”。", client_address="demo-zc2", now=_at(9, 11))
    fixed = error_report_act(report=fixed, type="forwarded", by=None, system=True, to=operator, at=_at(9, 16))
    error_report_act(report=fixed, type="replied", by=None, system=True, outcome="fixed",
                     resolution="已在机构职能页面改正为“统筹协调”。", at=_at(8, 10))
    if stdout:
        stdout.write(f"政民互动：信箱 {len(boxes)} 个，留言 {count} 条，网站找错 2 条")


TRANSCRIPT = """主持人：各位网友大家好，欢迎来到在线访谈。今天我们请到市人力社保局局长，谈谈今年的稳就业政策。
局长：谢谢主持人，各位网友好。今年我们重点做了三件事：发放一次性扩岗补助、开展技能培训、帮助困难人员就业。
主持人：一次性扩岗补助怎么申请？
局长：招用高校毕业生并缴纳失业保险满3个月的企业，可通过“示例人社”网上申请，每人补助1500元，不需要跑窗口。
主持人：感谢局长的解读，今天的访谈到此结束。"""

SURVEY = "[单选] 您对社区养老服务满意吗？\n满意\n基本满意\n不满意\n\n[多选] 您最需要哪些服务？\n助餐\n助浴\n医疗护理\n精神慰藉\n\n[填空] 其他意见建议"


def load_demo_interviews_and_surveys(*, admin, stdout=None) -> None:
    """An archived interview with transcript and answered questions, an announced one taking questions; an
    open survey and a closed one with results. Idempotent (nothing when a demo survey exists)."""
    if Survey.objects.filter(title__startswith="示例市").exists():
        return
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["DEMO00003", "DEMO00004"])}
    if len(orgs) < 2:
        return
    past = interview_create(by=admin, organisation=orgs["DEMO00004"], title="稳就业政策解读", guests="示例市人力资源和社会保障局局长",
                            starts_at=_at(20, 10), ends_at=_at(20, 11), summary="解读一次性扩岗补助、技能培训补贴等稳就业政策。")
    q = interview_question_submit(interview=past, text="灵活就业人员有社保补贴吗？", nickname="网友小李",
                                  client_address="demo-q1", now=_at(21, 9))
    interview_question_moderate(question=q, by=admin, state="approved", answered_by="局长",
                                answer="符合条件的就业困难人员灵活就业后，可申请社会保险补贴，期限最长3年。")
    interview_transcript_save(interview=past, by=admin, text=TRANSCRIPT)
    interview_transcript_publish(interview=past, by=admin)
    interview_photo_add(interview=past, by=admin, file=SimpleUploadedFile("fangtan.png", demo_png()),
                        alt="示例市人力资源和社会保障局局长在访谈现场回答网友提问（示例图片，纯色占位）", caption="访谈现场（示例）")
    interview_create(by=admin, organisation=orgs["DEMO00003"], title="义务教育招生政策在线访谈",
                     guests="示例市教育局局长\n示例市教育局基础教育科科长",
                     starts_at=_at(-7, 10), ends_at=_at(-7, 11), summary="欢迎网友提前提问。")
    today = timezone.localdate()
    survey_create(by=admin, organisation=orgs["DEMO00004"], title="示例市社区养老服务需求调查", questions=SURVEY,
                  opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=27),
                  intro="为完善社区养老服务，请您花两分钟填写。")
    closed = survey_create(by=admin, organisation=orgs["DEMO00003"], title="示例市课后服务满意度调查",
                           questions="[单选] 您对学校课后服务满意吗？\n满意\n基本满意\n不满意\n\n[多选] 希望增加哪些课后活动？\n体育\n艺术\n科技\n阅读",
                           opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=10))
    q1, q2 = closed.questions.all()
    for i, (a1, a2) in enumerate([("满意", ["体育", "科技"]), ("满意", ["艺术"]), ("基本满意", ["体育"]),
                                  ("不满意", ["阅读", "体育"]), ("满意", ["科技"])]):
        survey_respond(survey=closed, token=f"demo-token-{i:08d}", answers={str(q1.pk): a1, str(q2.pk): a2},
                       client_address=f"demo-s{i}", today=closed.closes_on)
    if stdout:
        stdout.write("政民互动：在线访谈 2 场，网上调查 2 项")


def demo_png(width: int = 320, height: int = 180, rgb: tuple[int, int, int] = (44, 98, 160)) -> bytes:
    """A plain placeholder picture for the demo interview (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
