"""Demo data: four subscribers with profiles of the kinds seeds 000 四(三) and 002 2 name (a graduate looking for
work, a retired couple's child, a small restaurant being opened, a high-tech manufacturer), a saved search and a
followed document; then five policies published today by the demo departments, matched and sent — the e-mails
are in the mail folder (settings.EMAIL_FILE_PATH, README "E-mail"), each saying why it was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from gongkai.core.models import Organisation
from gongkai.documents import services as documents
from gongkai.documents.models import Document

from . import services, tagging
from .models import Subscriber, Subscription

SUBSCRIBERS = [
    ("graduate.demo@example.com", Subscriber.Frequency.IMMEDIATE,
     [("person", "我", ["stage:就业", "group:高校毕业生"])], [{"q": "就业 补贴"}]),
    ("family.demo@example.com", Subscriber.Frequency.DAILY,
     [("person", "父母", ["stage:养老", "group:老年人"]), ("person", "我家", ["stage:住房", "stage:上学"])], []),
    ("restaurant.demo@example.com", Subscriber.Frequency.IMMEDIATE,
     [("enterprise", "我的小饭馆", ["estage:开办", "industry:H", "size:微型"])], []),
    ("factory.demo@example.com", Subscriber.Frequency.WEEKLY,
     [("enterprise", "示例精密制造有限公司", ["estage:经营", "industry:C", "size:中型", "feature:高新技术企业"])], []),
]

NEW_DOCUMENTS = [
    ("demo:subscriptions:graduates", "DEMO00004", "示例市关于促进高校毕业生就业创业的若干措施", "就业 高校毕业生 补贴",
     "对吸纳离校两年内高校毕业生就业的企业给予一次性就业补贴；对高校毕业生自主创业的给予创业担保贷款贴息。",
     ["person", "legal_person"], ["就业"]),
    ("demo:subscriptions:elderly", "DEMO00004", "示例市居家养老服务补贴发放办法", "养老 老年人 补贴",
     "本市户籍年满八十周岁的老年人，每月发放居家养老服务补贴；经济困难的失能老年人补贴标准提高。",
     ["person"], ["养老"]),
    ("demo:subscriptions:catering", "DEMO00006", "示例市小微餐饮企业开办“一件事”办理指南", "餐饮 开办 小微企业",
     "小微餐饮企业开办涉及的营业执照、食品经营许可一次申请、并联审批，三个工作日内办结。", [], []),
    ("demo:subscriptions:hightech", "DEMO00002", "示例市支持高新技术企业研发投入的奖励办法", "高新技术企业 研发 制造业",
     "对制造业高新技术企业年度研发投入增量部分给予奖励；中型以上企业另行申报。", [], []),
    ("demo:subscriptions:housing", "DEMO00005", "示例市住房公积金贷款额度调整的通知", "住房公积金 贷款",
     "缴存职工家庭购买首套住房的，住房公积金贷款最高额度提高至80万元。", ["person"], ["住房"]),
]


def _subscriber(email: str, frequency: str) -> Subscriber:
    services.subscriber_signup(email=email, consent=True, frequency=frequency, client_address="demo")
    subscriber = services.selectors.subscriber_by_email(email)
    return services.subscriber_verify(token=services.link_token(subscriber=subscriber, action="verify"))


def load_demo_subscriptions(*, government: Organisation, stdout=None) -> None:
    write = stdout.write if stdout else (lambda _s: None)
    if Document.objects.filter(external_id=NEW_DOCUMENTS[0][0]).exists():
        write("政策订阅演示数据已存在。")
        return
    if tagging.model_get() is None and Document.objects.filter(status="published").count() >= 200:
        report = services.tagger_train(limit=1500)
        write(f"推送标签分类模型已训练（{report['train']} 份文件，调参集 F1 {report['f1']:.3f}）。")
    with transaction.atomic():
        followed = Document.objects.filter(status="published", title__contains="住房公积金").order_by("-published_at").first()
        for email, frequency, profiles, searches in SUBSCRIBERS:
            subscriber = Subscriber.objects.filter(email_digest=services.selectors.email_digest(email)).first() \
                or _subscriber(email, frequency)
            for kind, name, tags in profiles:
                services.profile_save(subscriber=subscriber, kind=kind, name=name, tags=tags, region=government)
            for query in searches:
                services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.SEARCH, query=query)
            if followed is not None and email.startswith("family"):
                services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.DOCUMENT, document=followed)
    for external_id, code, title, words, summary, audiences, stages in NEW_DOCUMENTS:
        organisation = Organisation.objects.filter(code=code).first() or government
        body = f"<p>各有关单位：</p><p>{summary}</p><p>本文件自发布之日起施行。</p>"
        with transaction.atomic():
            document = documents.document_create(organisation=organisation, by=None, title=title, external_id=external_id,
                                                 subject_words=words, summary=summary, body=body, audiences=audiences,
                                                 life_stages=stages)
            documents.document_submit(document=document, by=None)
            documents.document_approve(document=document, by=None)
            documents.document_publish(document=document, by=None)
    services.match_pending()
    services.messages_assemble_digest(frequency=Subscriber.Frequency.DAILY)
    services.messages_assemble_digest(frequency=Subscriber.Frequency.WEEKLY)
    sent = services.messages_send()
    folder = getattr(settings, "EMAIL_FILE_PATH", "")
    write(f"政策订阅：{len(SUBSCRIBERS)} 个演示订阅用户，今天发布 {len(NEW_DOCUMENTS)} 份新政策，已发送 {sent} 封邮件"
          + (f"（见 {folder}）" if settings.EMAIL_BACKEND.endswith(("filebased.EmailBackend", "FileEmailBackend")) else "") + "。")
