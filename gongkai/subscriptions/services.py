"""The one write door of subscriptions: accounts, profiles, subscriptions, tags, matching and the e-mail queue.

Accounts need no password and no real name: every way in is a signed link sent to the address (verify,
sign in, manage), and every e-mail carries a one-click unsubscribe link (RFC 8058). The pages answer the
same whatever the address (no account enumeration); the address is encrypted at rest and never logged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from gongkai.core.html import html_to_text
from gongkai.core.models import Organisation, User
from gongkai.core.ratelimit import RateLimited, rate_limit_check
from gongkai.core.services import audit_record
from gongkai.documents.models import Document, Topic
from gongkai.documents.selectors import documents_for_user, documents_public
from gongkai.search.services import search_index_on_commit

from . import conf, hooks, selectors
from .matching import search_label
from .models import (
    DocumentTags,
    FeedbackCount,
    Message,
    PendingMatch,
    Profile,
    Push,
    Subscriber,
    Subscription,
)

logger = logging.getLogger("gongkai.subscriptions")

__all__ = ["RateLimited"]

_SALT = "gongkai.subscriptions."
ACTIONS_MAX_AGE = {"verify": conf.VERIFY_MAX_AGE, "login": conf.LOGIN_MAX_AGE, "manage": conf.MANAGE_MAX_AGE,
                   "unsubscribe": None, "not_relevant": None}


# --- Signed links ---------------------------------------------------------------------------------------

def link_token(*, subscriber: Subscriber, action: str, **extra) -> str:
    """Signed with the subscriptions' own key (settings.SUBSCRIPTIONS_KEY), not SECRET_KEY: rotating SECRET_KEY
    voids no link. A sign-in link also carries the one-time nonce."""
    if action == "login":
        extra["n"] = subscriber.login_nonce[:10]
    return signing.dumps({"s": subscriber.pk, "k": subscriber.link_secret[:10], **extra}, salt=_SALT + action,
                         compress=True, key=selectors.subscription_keys()[0])


def link_read(*, token: str, action: str) -> tuple[Subscriber, dict]:
    """The subscriber and payload of a signed link; ValidationError when forged, expired or voided."""
    keys = selectors.subscription_keys()
    try:
        data = signing.loads(token, salt=_SALT + action, max_age=ACTIONS_MAX_AGE[action], key=keys[0],
                             fallback_keys=[*keys[1:], *selectors.legacy_keys()])
    except signing.SignatureExpired as exc:
        raise ValidationError("链接已过期，请重新获取。") from exc
    except signing.BadSignature as exc:
        raise ValidationError("链接无效。") from exc
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first()
    if subscriber is None or subscriber.link_secret[:10] != data.get("k"):
        raise ValidationError("链接无效或已失效。")
    return subscriber, data


def link_url(*, subscriber: Subscriber, action: str, **extra) -> str:
    names = {"verify": "portal:subscriptions_verify", "login": "portal:subscriptions_login_link",
             "manage": "portal:subscriptions_manage", "unsubscribe": "portal:subscriptions_unsubscribe",
             "not_relevant": "portal:subscriptions_not_relevant"}
    token = link_token(subscriber=subscriber, action=action, **extra)
    return selectors.site_url(reverse(names[action], kwargs={"token": token}))


# --- Accounts -------------------------------------------------------------------------------------------

def _check_email(email: str) -> str:
    email = selectors.email_normalise(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "请填写有效的电子邮箱地址。"}) from exc
    return email


_PHONE_RE = re.compile(r"^\+?[0-9][0-9 -]{4,18}[0-9]$")


def _check_phone(phone: str) -> str:
    """Optional (issue 25: phone optional, no real-name data): empty, or a number of digits, spaces, hyphens
    and a leading +, e.g. 13800138000, 0571-12345678, +86 138 0013 8000."""
    phone = (phone or "").strip()
    if phone and not _PHONE_RE.match(phone):
        raise ValidationError({"phone": "手机号码格式不正确（选填，可以不填）。"})
    return phone


def _may_mail(subscriber: Subscriber, now: dt.datetime) -> bool:
    """At most one account e-mail per RESEND_SECONDS to one address, whatever is asked."""
    return subscriber.last_mail_at is None or now - subscriber.last_mail_at >= dt.timedelta(seconds=conf.RESEND_SECONDS)


def subscriber_signup(*, email: str, consent: bool, frequency: str = Subscriber.Frequency.DAILY, phone: str = "",
                      client_address: str = "") -> None:
    """Start a subscription: a new address gets a verification link, a known one a sign-in link.

    Returns nothing and says the same in every case (个人信息保护法 第五十一条 security measures: no
    account enumeration); limits per client address and per address (core.ratelimit); the consent text's
    version and time are recorded (第十四条)."""
    email = _check_email(email)
    phone = _check_phone(phone)
    if not consent:
        raise ValidationError({"consent": "请阅读并同意个人信息处理说明。"})
    if frequency not in Subscriber.Frequency.values:
        raise ValidationError({"frequency": "推送频率无效。"})
    rate_limit_check(scope="subscriptions:signup:address", key=client_address or "-", limit=conf.SIGNUP_LIMIT_PER_ADDRESS)
    rate_limit_check(scope="subscriptions:signup:email", key=email, limit=conf.SIGNUP_LIMIT_PER_EMAIL,
                     message="该邮箱今天的请求次数已达上限，请明天再试。")
    now = timezone.now()
    with transaction.atomic():
        subscriber = selectors.subscriber_by_email(email)
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        contact={"email": email, **({"phone": phone.strip()} if phone.strip() else {})},
                        email_digest=selectors.email_digest(email), frequency=frequency,
                        consent_version=conf.CONSENT_VERSION, consent_at=now)
            except IntegrityError:  # the same address signed up at the same moment
                subscriber = selectors.subscriber_by_email(email)
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if not _may_mail(subscriber, now):
            return
        if subscriber.state == Subscriber.State.PENDING:
            _account_mail(subscriber, Message.Kind.VERIFY, now)
        else:
            _account_mail(subscriber, Message.Kind.LOGIN, now)
    _send_soon()


def subscriber_login_request(*, email: str, client_address: str = "") -> None:
    """Send a sign-in link if the address has an account; the same answer either way."""
    email = _check_email(email)
    rate_limit_check(scope="subscriptions:signup:address", key=client_address or "-", limit=conf.SIGNUP_LIMIT_PER_ADDRESS)
    rate_limit_check(scope="subscriptions:signup:email", key=email, limit=conf.SIGNUP_LIMIT_PER_EMAIL,
                     message="该邮箱今天的请求次数已达上限，请明天再试。")
    now = timezone.now()
    with transaction.atomic():
        subscriber = selectors.subscriber_by_email(email)
        if subscriber is None:
            return
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if not _may_mail(subscriber, now):
            return
        kind = Message.Kind.VERIFY if subscriber.state == Subscriber.State.PENDING else Message.Kind.LOGIN
        _account_mail(subscriber, kind, now)
    _send_soon()


def _account_mail(subscriber: Subscriber, kind: str, now: dt.datetime) -> Message:
    if kind == Message.Kind.VERIFY:
        url = link_url(subscriber=subscriber, action="verify")
        subject = f"【{conf.PLATFORM_NAME}】请验证您的电子邮箱"
        parts = {"heading": "请验证您的电子邮箱",
                 "intro": f"有人（希望是您）用这个邮箱在{conf.PLATFORM_NAME}订阅政策推送。请在 3 天内打开下面的链接完成验证：",
                 "link_text": "验证邮箱，开始订阅",
                 "outro": f"如果不是您本人操作，请忽略本邮件，未验证的数据将在 {conf.UNVERIFIED_RETENTION_DAYS} 天后自动删除。"}
    else:
        url = link_url(subscriber=subscriber, action="login")
        subject = f"【{conf.PLATFORM_NAME}】管理您的政策订阅"
        parts = {"heading": "登录“我的订阅”",
                 "intro": f"请打开下面的链接管理您的订阅（{conf.LOGIN_MAX_AGE // 3600} 小时内有效，只能使用一次；"
                          "请不要转发本邮件）：",
                 "link_text": "登录并管理我的订阅", "outro": "如果不是您本人操作，请忽略本邮件。"}
    body = f"您好：\n\n{parts['intro']}\n\n{url}\n\n{parts['outro']}\n"
    html_body = render_to_string("subscriptions/email/account.html",
                                 {**parts, "subject": subject, "url": url, "platform": conf.PLATFORM_NAME})
    subscriber.last_mail_at = now
    subscriber.save(update_fields=["last_mail_at"])
    window = int(now.timestamp()) // conf.RESEND_SECONDS
    return Message.objects.create(subscriber=subscriber, kind=kind, idempotency_key=f"{kind}:{subscriber.pk}:{window}",
                                  subject=subject, body=body, html_body=html_body)


def subscriber_verify(*, token: str) -> Subscriber:
    subscriber, _data = link_read(token=token, action="verify")
    if subscriber.state == Subscriber.State.PENDING:
        subscriber.state = Subscriber.State.ACTIVE
        subscriber.verified_at = timezone.now()
        subscriber.save(update_fields=["state", "verified_at"])
    return subscriber


def subscriber_login(*, token: str) -> Subscriber:
    """Use a sign-in link: once (its nonce is replaced; only the newest link works), within LOGIN_MAX_AGE.
    Opening one also proves the address (a pending account becomes active)."""
    try:
        subscriber, data = link_read(token=token, action="login")
    except ValidationError as exc:
        raise ValidationError("链接无效或已过期，请重新获取登录链接。") from exc
    with transaction.atomic():
        used = Subscriber.objects.filter(pk=subscriber.pk, login_nonce__startswith=data.get("n") or "-").update(
            login_nonce=secrets.token_urlsafe(16))
        if not used:  # used already (or a newer link was sent): one link, one sign-in
            raise ValidationError("这个登录链接已经使用过或已被更新的链接取代，请重新获取登录链接。")
        subscriber.refresh_from_db()
        if subscriber.state == Subscriber.State.PENDING:
            subscriber.state, subscriber.verified_at = Subscriber.State.ACTIVE, timezone.now()
            subscriber.save(update_fields=["state", "verified_at"])
    return subscriber


def subscriber_manage_request(*, token: str) -> Subscriber:
    """The "manage" link of a push e-mail does not sign anyone in — push mail gets forwarded. It sends a fresh
    one-time sign-in link (LOGIN_MAX_AGE) to the subscriber's own address, at most one per RESEND_SECONDS;
    whoever holds a forwarded copy can only make the owner receive a sign-in e-mail (docs/subscriptions.md)."""
    subscriber, _data = link_read(token=token, action="manage")
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state != Subscriber.State.DISABLED and _may_mail(subscriber, now):
            _account_mail(subscriber, Message.Kind.LOGIN, now)
    _send_soon()
    return subscriber


def subscriber_update(*, subscriber: Subscriber, frequency: str, phone: str = "") -> Subscriber:
    if frequency not in Subscriber.Frequency.values:
        raise ValidationError({"frequency": "推送频率无效。"})
    phone = _check_phone(phone)
    subscriber.frequency = frequency
    contact = dict(subscriber.contact)
    if phone:
        contact["phone"] = phone
    else:
        contact.pop("phone", None)
    subscriber.contact = contact
    subscriber.save(update_fields=["frequency", "contact"])
    return subscriber


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Delete the account and everything it holds (个人信息保护法 第四十七条): profiles, subscriptions, pushes,
    queued and sent e-mails. Only the anonymous counters of FeedbackCount stay."""
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk).delete()


def subscriber_bounce(*, email: str, permanent: bool = True) -> Subscriber | None:
    """Record a bounce (from the mail server's report); after BOUNCE_LIMIT permanent ones e-mail stops."""
    subscriber = selectors.subscriber_by_email(email)
    if subscriber is None or not permanent:
        return subscriber
    return _bounce(subscriber)


def _bounce(subscriber: Subscriber) -> Subscriber:
    Subscriber.objects.filter(pk=subscriber.pk).update(bounce_count=F("bounce_count") + 1)
    subscriber.refresh_from_db(fields=["bounce_count", "state"])
    if subscriber.bounce_count >= conf.BOUNCE_LIMIT and subscriber.state == Subscriber.State.ACTIVE:
        subscriber.state = Subscriber.State.DISABLED
        subscriber.save(update_fields=["state"])
    return subscriber


def subscribers_purge_unverified(*, now: dt.datetime | None = None) -> int:
    """Delete accounts never verified within UNVERIFIED_RETENTION_DAYS (第十九条: the shortest period)."""
    now = now or timezone.now()
    stale = Subscriber.objects.filter(state=Subscriber.State.PENDING,
                                      created_at__lt=now - dt.timedelta(days=conf.UNVERIFIED_RETENTION_DAYS))
    return stale.delete()[1].get("subscriptions.Subscriber", 0)


# --- Profiles and subscriptions --------------------------------------------------------------------------

def _check_tags(kind: str, tags: list[str]) -> list[str]:
    dimensions = conf.PERSON_DIMENSIONS if kind == Profile.Kind.PERSON else conf.ENTERPRISE_DIMENSIONS
    clean = []
    for key in dict.fromkeys(tags):
        tag = conf.TAG_BY_KEY.get(key)
        if tag is None or tag.dimension not in dimensions:
            raise ValidationError({"tags": f"画像标签无效：{key}"})
        clean.append(key)
    if not clean:
        raise ValidationError({"tags": "请至少选择一项（人生阶段、群体或行业、阶段等）。"})
    return clean


def profile_save(*, subscriber: Subscriber, kind: str, name: str, tags: list[str],
                 region: Organisation | None = None, profile: Profile | None = None) -> Profile:
    """Create or change a profile; a new profile is subscribed at once (its Subscription of kind profile)."""
    if kind not in Profile.Kind.values:
        raise ValidationError({"kind": "画像类型无效。"})
    name = (name or "").strip()[:60] or ("我" if kind == Profile.Kind.PERSON else "我的企业")
    tags = _check_tags(kind, tags)
    if region is not None and region.kind != Organisation.Kind.GOVERNMENT:
        raise ValidationError({"region": "地区应为一级人民政府。"})
    with transaction.atomic():
        if profile is None:
            profile = Profile.objects.create(subscriber=subscriber, kind=kind, name=name, tags=tags, region=region)
            Subscription.objects.create(subscriber=subscriber, kind=Subscription.Kind.PROFILE, profile=profile,
                                        label=f"画像：{name}")
        else:
            if profile.subscriber_id != subscriber.pk:
                raise ValidationError("不能修改他人的画像。")
            profile.kind, profile.name, profile.tags, profile.region = kind, name, tags, region
            profile.save()
            profile.subscriptions.update(label=f"画像：{name}")
    return profile


SEARCH_KEYS = ("q", "issuer", "topic", "genre", "validity", "year", "tag")


def subscription_create(*, subscriber: Subscriber, kind: str, query: dict | None = None, topic: Topic | None = None,
                        organisation: Organisation | None = None, document: Document | None = None,
                        consultation=None, dataset=None) -> Subscription:
    """Subscribe to a saved search (its query and filters), a topic, a column, a document's changes, a
    consultation's feedback or a dataset's updates. Subscribing to the same thing twice returns the first."""
    existing = Subscription.objects.filter(subscriber=subscriber, kind=kind)
    fields: dict = {}
    if kind == Subscription.Kind.SEARCH:
        query = {k: str((query or {}).get(k, "")).strip()[:200] for k in SEARCH_KEYS if (query or {}).get(k)}
        if not query:
            raise ValidationError("检索条件为空：请先检索，再订阅。")
        fields = {"query": query, "label": f"检索：{search_label(query)}"}
        found = next((s for s in existing if s.query == query), None)
    elif kind == Subscription.Kind.TOPIC and topic is not None:
        fields = {"topic": topic, "label": topic.label}
        found = existing.filter(topic=topic).first()
    elif kind == Subscription.Kind.COLUMN and organisation is not None:
        fields = {"organisation": organisation, "label": organisation.name}
        found = existing.filter(organisation=organisation).first()
    elif kind == Subscription.Kind.DOCUMENT and document is not None:
        if not document.is_public:
            raise ValidationError("只能关注已公开的文件。")
        fields = {"document": document, "label": document.title}
        found = existing.filter(document=document).first()
    elif kind == Subscription.Kind.CONSULTATION and consultation is not None:
        marker = consultation.feedback_published_at.isoformat() if consultation.feedback_published_at else ""
        fields = {"consultation_id": consultation.pk, "label": consultation.title, "seen_marker": marker}
        found = existing.filter(consultation_id=consultation.pk).first()
    elif kind == Subscription.Kind.DATASET and dataset is not None:
        fields = {"dataset_id": dataset.pk, "label": dataset.title, "seen_marker": f"v{dataset.version}"}
        found = existing.filter(dataset_id=dataset.pk).first()
    else:
        raise ValidationError("订阅类型或对象无效。")
    if found is not None:
        if not found.is_active:
            found.is_active = True
            found.save(update_fields=["is_active"])
        return found
    return Subscription.objects.create(subscriber=subscriber, kind=kind, **fields)


def subscription_delete(*, subscriber: Subscriber, subscription: Subscription) -> None:
    if subscription.subscriber_id != subscriber.pk:
        raise ValidationError("不能删除他人的订阅。")
    with transaction.atomic():
        if subscription.profile_id:
            Profile.objects.filter(pk=subscription.profile_id).delete()  # cascades to its subscription
        else:
            subscription.delete()


def unsubscribe(*, token: str) -> tuple[Subscriber, str]:
    """One click, no login (RFC 8058): a link with a subscription stops that one; without, all e-mail."""
    subscriber, data = link_read(token=token, action="unsubscribe")
    if data.get("sub"):
        subscription = subscriber.subscriptions.filter(pk=data["sub"]).first()
        if subscription is None:
            return subscriber, "该订阅已取消。"
        label = subscription.label
        subscription_delete(subscriber=subscriber, subscription=subscription)
        return subscriber, f"已取消订阅：{label}"
    subscriber.frequency = Subscriber.Frequency.NONE
    subscriber.save(update_fields=["frequency"])
    return subscriber, "已退订全部推送邮件。您的订阅源（Atom）仍可使用；如需删除全部数据，请进入“我的订阅”。"


def push_not_relevant(*, token: str) -> Push | None:
    """The recipient says a push did not concern them: recorded once, counted for evaluation."""
    subscriber, data = link_read(token=token, action="not_relevant")
    push = subscriber.pushes.select_related("subscription").filter(pk=data.get("push")).first()
    if push is None or push.not_relevant_at:
        return push
    push.not_relevant_at = timezone.now()
    push.save(update_fields=["not_relevant_at"])
    _count(day=timezone.localdate(push.created_at), kind=push.subscription.kind, tags=push.matched, field="not_relevant")
    return push


def _count(*, day: dt.date, kind: str, tags, field: str, n: int = 1) -> None:
    keys = [""] + [t for t in tags if t in conf.TAG_BY_KEY]
    for tag in keys:
        row, _created = FeedbackCount.objects.get_or_create(day=day, kind=kind, tag=tag)
        FeedbackCount.objects.filter(pk=row.pk).update(**{field: F(field) + n})


# --- Document tags (confirmed by the publisher) -----------------------------------------------------------

def document_tags_suggest(*, document: Document) -> DocumentTags:
    """Store the system's suggestion for a document unless its tags are confirmed already."""
    suggestion = selectors.document_suggestion(document)
    record, _created = DocumentTags.objects.get_or_create(document=document, defaults={
        "audiences": suggestion["audiences"], "tags": suggestion["tags"], "suggested": suggestion["scored"]})
    if record.state == DocumentTags.State.SUGGESTED and not _created:
        record.audiences, record.tags, record.suggested = suggestion["audiences"], suggestion["tags"], suggestion["scored"]
        record.save(update_fields=["audiences", "tags", "suggested", "updated_at"])
    return record


def document_tags_confirm(*, document: Document, by: User, audiences: list[str], tags: list[str]) -> DocumentTags:
    """The publisher confirms (or corrects) whom a document concerns; later matching uses exactly these."""
    if not documents_for_user(user=by).filter(pk=document.pk).exists():
        raise ValidationError("只能确认本机关文件的推送标签。")
    bad = [t for t in tags if t not in conf.TAG_BY_KEY] + [a for a in audiences if a not in ("person", "legal_person")]
    if bad:
        raise ValidationError(f"标签无效：{'、'.join(bad)}")
    record, _created = DocumentTags.objects.get_or_create(document=document)
    before = {"audiences": record.audiences, "tags": record.tags, "state": record.state}
    record.audiences, record.tags = sorted(set(audiences)), [t for t in conf.TAG_BY_KEY if t in set(tags)]
    record.state, record.confirmed_by, record.confirmed_at = DocumentTags.State.CONFIRMED, by, timezone.now()
    record.save()
    audit_record(actor=by, action="subscriptions.tags_confirm", obj=document, organisation=document.organisation,
                 before=before, after={"audiences": record.audiences, "tags": record.tags})
    # The confirmed tags also feed the library's 适用对象 facets (search.hooks.document_tags → facet_tags).
    search_index_on_commit(document_id=document.pk)
    return record


def facet_tags(*, document_ids) -> dict[int, list[str]]:
    """Registered on search.hooks.document_tags: the confirmed tags of these documents as the library's
    facet tags (audience:… plus the profile vocabulary). Suggestions are never a facet: a reader who
    filters by 退役军人 must find what a publisher said concerns 退役军人."""
    rows = DocumentTags.objects.filter(document_id__in=list(document_ids), state=DocumentTags.State.CONFIRMED)
    return {document_id: [f"audience:{a}" for a in audiences] + list(tags)
            for document_id, audiences, tags in rows.values_list("document_id", "audiences", "tags")}


def tagger_train(*, limit: int | None = None, progress=None) -> dict:
    """Train the classifier (tagging.Tagger) on the public library and store it: features are the bodies,
    labels the confirmed tags, else the document's own tags plus the keywords of its title (weak labels).
    A quarter of the documents (by id) tunes the thresholds; its figures are returned."""
    from .tagging import BODY_CHARS, Tagger, keyword_tags, model_path, text_terms  # noqa: PLC0415 — a command's work

    confirmed = dict(DocumentTags.objects.filter(state=DocumentTags.State.CONFIRMED).values_list("document_id", "tags"))
    train, dev = [], []
    documents = documents_public().order_by("pk").only(
        "pk", "title", "body", "audiences", "life_stages")[:limit] if limit else documents_public().order_by(
        "pk").only("pk", "title", "body", "audiences", "life_stages")
    for n, document in enumerate(documents.iterator(chunk_size=500), start=1):
        if document.pk in confirmed:
            labels = set(confirmed[document.pk])
        else:
            labels = selectors.own_tags(document)[1] | keyword_tags(text_terms(document.title))
        body = html_to_text(document.body or "").replace(document.title, "")[:BODY_CHARS]
        (dev if hashlib.md5(str(document.pk).encode()).digest()[0] % 4 == 3 else train).append((text_terms(body), labels))
        if progress and n % 500 == 0:
            progress(f"  {n} 份文件已分词")
    model = Tagger.fit(train)
    model.tune(dev)
    tp = fp = fn = 0
    for terms, gold in dev:
        predicted = set(model.predict(terms))
        tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    path = model_path()
    model.save(path)
    return {"path": str(path), "train": len(train), "dev": len(dev), "tags": len(model.weights), "p": p, "r": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


# --- Matching -----------------------------------------------------------------------------------------

EVENT_FOR_KIND = {"published": PendingMatch.Event.PUBLISHED, "amended_by": PendingMatch.Event.AMENDED,
                  "repealed_by": PendingMatch.Event.REPEALED, "repealed": PendingMatch.Event.REPEALED,
                  "expired": PendingMatch.Event.EXPIRED, "corrected": PendingMatch.Event.CORRECTED}


def match_enqueue(*, document: Document, event: str, related_document: Document | None = None,
                  interpretation_id: int | None = None) -> PendingMatch:
    return PendingMatch.objects.create(document=document, event=event, related_document=related_document,
                                       interpretation_id=interpretation_id)


def match_pending(*, limit: int = 1000) -> int:
    """Match every pending event against all subscriptions (one index per batch); returns pushes created.
    Safe to run twice: a push is unique per subscription and item."""
    pending = list(PendingMatch.objects.filter(done_at__isnull=True).select_related("related_document")[:limit])
    if not pending:
        return 0
    index = selectors.subscription_index()
    documents = {d.pk: d for d in selectors.documents_for_facts({p.document_id for p in pending})}
    new_ids = [p.document_id for p in pending if p.event == PendingMatch.Event.PUBLISHED
               and p.document_id in documents and documents[p.document_id].is_public]
    tagged = set(DocumentTags.objects.filter(document__in=new_ids).values_list("document_id", flat=True))
    for document_id in dict.fromkeys(new_ids):
        if document_id not in tagged:  # store the suggestion: the publisher sees what the push used
            document_tags_suggest(document=documents[document_id])
    facts = {f.id: f for f in selectors.document_facts([documents[i] for i in dict.fromkeys(new_ids)])}
    rows: list[Push] = []
    for p in pending:
        document = documents.get(p.document_id)
        if document is None or not document.is_public and p.event == PendingMatch.Event.PUBLISHED:
            continue
        if p.event == PendingMatch.Event.PUBLISHED:
            item = f"doc:{document.pk}:published"
            matches = index.match_new(facts[document.pk])
            title, url, event = document.title, facts[document.pk].url, "新发布"
        else:
            label = PendingMatch.Event(p.event).label
            item = f"doc:{document.pk}:{p.event}:{p.related_document_id or p.interpretation_id or p.pk}"
            matches = index.match_document_event(document.pk, label)
            title = f"《{document.title}》{label}"
            if p.related_document is not None:
                title += f"：《{p.related_document.title}》"
            url, event = selectors.document_url(document), label
        rows.extend(Push(subscription_id=m.subscription_id, subscriber_id=m.subscriber_id, item_key=item,
                         document=document, title=title[:500], url=url, event=event, reason=m.reason[:300],
                         matched=m.matched) for m in matches)
    created = _pushes_write(rows)
    PendingMatch.objects.filter(pk__in=[p.pk for p in pending]).update(done_at=timezone.now())
    messages_assemble_immediate()
    return created


def _pushes_write(rows: list[Push]) -> int:
    if not rows:
        return 0
    existing = set(Push.objects.filter(item_key__in={r.item_key for r in rows}).values_list("subscription_id", "item_key"))
    rows = [r for r in rows if (r.subscription_id, r.item_key) not in existing]
    if not rows:
        return 0
    # ignore_conflicts: a matcher running at the same moment may have written some of them (counted twice then)
    Push.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    created = len(rows)
    kinds = dict(Subscription.objects.filter(pk__in={r.subscription_id for r in rows}).values_list("id", "kind"))
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        for tag in [""] + [t for t in r.matched if t in conf.TAG_BY_KEY]:
            totals[(kinds.get(r.subscription_id, ""), tag)] += 1
    today = timezone.localdate()
    for (kind, tag), n in totals.items():
        row, _c = FeedbackCount.objects.get_or_create(day=today, kind=kind, tag=tag)
        FeedbackCount.objects.filter(pk=row.pk).update(pushes=F("pushes") + n)
    return created


def followed_check() -> int:
    """Consultations whose adoption feedback was published and datasets with a new version, for the
    subscriptions following them (a periodic task: those packages have no hook to call)."""
    from gongkai.consultations.selectors import consultations_public  # noqa: PLC0415 — a sibling read, only here
    from gongkai.opendata.selectors import datasets_public  # noqa: PLC0415 — same

    rows: list[Push] = []
    followed = Subscription.objects.filter(is_active=True, subscriber__state__in=selectors.RECEIVING_STATES)
    consultation_subs = list(followed.filter(kind=Subscription.Kind.CONSULTATION))
    if consultation_subs:
        consultations = {c.pk: c for c in consultations_public().filter(
            pk__in={s.consultation_id for s in consultation_subs}, feedback_published_at__isnull=False)}
        for s in consultation_subs:
            c = consultations.get(s.consultation_id)
            if c is None or s.seen_marker == c.feedback_published_at.isoformat():
                continue
            url = selectors.site_url(reverse("portal:consultation", kwargs={"pk": c.pk})) + "#feedback"
            rows.append(Push(subscription=s, subscriber_id=s.subscriber_id, item_key=f"consultation:{c.pk}:feedback:"
                             f"{c.feedback_published_at:%Y%m%d%H%M%S}", title=f"《{c.title}》意见采纳情况已公布",
                             url=url, event="意见采纳情况公布", reason=f"因为您关注了意见征集《{c.title}》",
                             matched=["consultation"]))
            s.seen_marker = c.feedback_published_at.isoformat()
            s.save(update_fields=["seen_marker"])
    dataset_subs = list(followed.filter(kind=Subscription.Kind.DATASET))
    if dataset_subs:
        datasets = {d.pk: d for d in datasets_public().filter(pk__in={s.dataset_id for s in dataset_subs})}
        for s in dataset_subs:
            d = datasets.get(s.dataset_id)
            if d is None or s.seen_marker == f"v{d.version}":
                continue
            url = selectors.site_url(reverse("portal:opendata_dataset", kwargs={"name": d.name}))
            rows.append(Push(subscription=s, subscriber_id=s.subscriber_id, item_key=f"dataset:{d.pk}:v{d.version}",
                             title=f"数据集《{d.title}》已更新（第 {d.version} 版）", url=url, event="数据集更新",
                             reason=f"因为您关注了数据集《{d.title}》", matched=["dataset"]))
            s.seen_marker = f"v{d.version}"
            s.save(update_fields=["seen_marker"])
    created = _pushes_write(rows)
    messages_assemble_immediate()
    return created


# --- Assembling e-mails ---------------------------------------------------------------------------------

def _compose(subscriber: Subscriber, pushes: list[Push], heading: str) -> tuple[str, str, str, str]:
    """(subject, text, HTML, unsubscribe URL) of a push or digest: the items grouped per document with every
    reason and a "not relevant" link, then the manage and unsubscribe links. The text and the HTML
    (templates/subscriptions/email/push.html: lang, headings, no images) say the same."""
    unsubscribe_url = link_url(subscriber=subscriber, action="unsubscribe")
    manage_url = link_url(subscriber=subscriber, action="manage")
    by_document: dict[str, list[Push]] = {}
    for p in pushes:
        by_document.setdefault(p.url + p.event, []).append(p)
    items = [{"title": group[0].title, "url": group[0].url, "reasons": [p.reason for p in group],
              "not_relevant_url": link_url(subscriber=subscriber, action="not_relevant", push=group[0].pk)}
             for group in by_document.values()]
    manage_days = conf.MANAGE_MAX_AGE // 86400
    lines = [heading, ""]
    for n, item in enumerate(items, start=1):
        lines += [f"{n}. {item['title']}", f"   {item['url']}", *(f"   {r}" for r in item["reasons"]),
                  f"   不相关？告诉我们：{item['not_relevant_url']}", ""]
    lines += ["—", f"管理订阅（修改频率、画像，查看或删除全部数据；向您的邮箱发送一次性登录链接，本链接 {manage_days} 天内有效）："
                   f"{manage_url}",
              f"退订全部推送邮件（一键，无需登录）：{unsubscribe_url}",
              f"本邮件由{conf.PLATFORM_NAME}自动发送，请勿直接回复。"]
    count = len(by_document)
    subject = (f"【政策推送】{count} 条新动态与您相关" if count > 1 else f"【政策推送】{pushes[0].title}")[:200]
    html_body = render_to_string("subscriptions/email/push.html", {
        "subject": subject, "heading": heading, "items": items, "manage_url": manage_url, "manage_days": manage_days,
        "unsubscribe_url": unsubscribe_url, "platform": conf.PLATFORM_NAME})
    return subject, "\n".join(lines), html_body, unsubscribe_url


def _assemble(subscriber_ids, *, kind: str, key_of, heading: str) -> int:
    made = 0
    for subscriber in Subscriber.objects.filter(pk__in=list(subscriber_ids), state=Subscriber.State.ACTIVE):
        with transaction.atomic():
            pushes = list(Push.objects.select_for_update().filter(subscriber=subscriber, message__isnull=True)
                          .order_by("id")[:conf.MAX_ITEMS_PER_MESSAGE])
            if not pushes:
                continue
            key = key_of(subscriber, pushes)
            if Message.objects.filter(idempotency_key=key).exists():
                continue
            subject, body, html_body, unsubscribe_url = _compose(subscriber, pushes, heading)
            message = Message.objects.create(subscriber=subscriber, kind=kind, idempotency_key=key, subject=subject,
                                             body=body, html_body=html_body, unsubscribe_url=unsubscribe_url)
            Push.objects.filter(pk__in=[p.pk for p in pushes]).update(message=message)
            made += 1
    if made:
        _send_soon()
    return made


def messages_assemble_immediate() -> int:
    ids = Push.objects.filter(message__isnull=True, subscriber__frequency=Subscriber.Frequency.IMMEDIATE,
                              subscriber__state=Subscriber.State.ACTIVE).values_list("subscriber_id", flat=True).distinct()
    return _assemble(set(ids), kind=Message.Kind.IMMEDIATE, heading="您订阅的政策有新动态：",
                     key_of=lambda s, pushes: f"immediate:{s.pk}:{pushes[0].pk}")


def messages_assemble_digest(*, frequency: str, now: dt.datetime | None = None) -> int:
    """One digest per subscriber of `frequency` (daily/weekly) and period; running it twice in a period sends
    nothing more (the period is in the idempotency key)."""
    now = timezone.localtime(now or timezone.now())
    period = now.strftime("%Y-%m-%d") if frequency == Subscriber.Frequency.DAILY else "{}-W{:02d}".format(*now.isocalendar()[:2])
    ids = Push.objects.filter(message__isnull=True, subscriber__frequency=frequency,
                              subscriber__state=Subscriber.State.ACTIVE).values_list("subscriber_id", flat=True).distinct()
    heading = "今日" if frequency == Subscriber.Frequency.DAILY else "本周"
    return _assemble(set(ids), kind=Message.Kind.DIGEST, heading=f"{heading}与您相关的政策动态：",
                     key_of=lambda s, _p: f"digest:{frequency}:{s.pk}:{period}")


# --- Sending ------------------------------------------------------------------------------------------

def _send_soon() -> None:
    hooks.messages_queued()


def _email(message: Message) -> EmailMultiAlternatives:
    """multipart/alternative: the text, then the HTML (messages queued before HTML existed: text only)."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0] or "localhost"
    headers = {"Message-ID": f"<{hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]}@{host}>",
               "Auto-Submitted": "auto-generated"}
    if message.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                                   [message.subscriber.email], headers=headers)
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def messages_send(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Send queued e-mails. Each is claimed (queued → sending) before the SMTP call and marked sent after it;
    a failure puts it back with a back-off (RETRY_MINUTES) and after the last one it stays failed, never
    dropped. A message left in "sending" by a worker that died is taken up again after SENDING_LEASE_SECONDS
    (the one window for a repeat: a crash between the server's acceptance and the commit — the repeat keeps
    the same Message-ID, by which mail clients drop it)."""
    now = now or timezone.now()
    Message.objects.filter(state=Message.State.SENDING,
                           claimed_at__lt=now - dt.timedelta(seconds=conf.SENDING_LEASE_SECONDS)).update(
        state=Message.State.QUEUED)
    due = Message.objects.filter(state=Message.State.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).values_list("pk", flat=True)[:limit]
    sent = 0
    connection = None
    for pk in list(due):
        if not Message.objects.filter(pk=pk, state=Message.State.QUEUED).update(
                state=Message.State.SENDING, claimed_at=now, attempts=F("attempts") + 1):
            continue  # another worker took it
        message = Message.objects.select_related("subscriber").get(pk=pk)
        subscriber = message.subscriber
        stopped = subscriber.state == Subscriber.State.DISABLED or (
            message.kind in (Message.Kind.IMMEDIATE, Message.Kind.DIGEST) and subscriber.frequency == Subscriber.Frequency.NONE)
        if stopped:
            Message.objects.filter(pk=pk).update(state=Message.State.FAILED, last_error="订阅用户已停止接收邮件")
            continue
        try:
            connection = connection or get_connection()
            connection.send_messages([_email(message)])
        except smtplib.SMTPRecipientsRefused:
            Message.objects.filter(pk=pk).update(state=Message.State.FAILED, last_error="收件地址被拒收（退信）")
            _bounce(subscriber)
        except Exception as exc:  # noqa: BLE001 — any failure of the mail server leaves the message queued
            retries = conf.RETRY_MINUTES
            final = message.attempts > len(retries)
            Message.objects.filter(pk=pk).update(
                state=Message.State.FAILED if final else Message.State.QUEUED, last_error=type(exc).__name__[:200],
                next_attempt_at=None if final else now + dt.timedelta(minutes=retries[message.attempts - 1]))
            logger.warning("subscription e-mail %s not sent (%s), attempt %s", pk, type(exc).__name__, message.attempts)
            connection = None
        else:
            Message.objects.filter(pk=pk).update(state=Message.State.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
    return sent


def messages_retry_failed(*, by: User) -> int:
    """Staff put every failed message (of a subscriber still receiving e-mail) back in the queue."""
    failed = Message.objects.filter(state=Message.State.FAILED, subscriber__state=Subscriber.State.ACTIVE)
    n = failed.update(state=Message.State.QUEUED, next_attempt_at=None, attempts=0)
    audit_record(actor=by, action="subscriptions.messages_retry", note=f"{n} 封")
    if n:
        _send_soon()
    return n
