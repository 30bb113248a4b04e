"""Reads of the subscriptions package: document facts for matching, the subscription index, an account's
data, feeds and the staff statistics (aggregates only: no address ever leaves the account page)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from gongkai.core.html import html_to_text
from gongkai.core.models import Organisation
from gongkai.documents.models import LIFE_STAGES, Document
from gongkai.documents.selectors import documents_public
from gongkai.search.services import own_tags as search_own_tags

from . import conf, tagging
from .matching import DocumentFacts, SubscriptionIndex
from .models import DocumentTags, FeedbackCount, Message, Profile, Push, Subscriber, Subscription

_AUDIENCE_VALUES = {"person": "person", "个人": "person", "legal_person": "legal_person", "法人": "legal_person"}


def email_normalise(email: str) -> str:
    return (email or "").strip().lower()


def subscription_keys() -> list[str]:
    """settings.SUBSCRIPTIONS_KEY as a list: the first signs links and digests addresses, all are accepted."""
    return [k.strip() for k in settings.SUBSCRIPTIONS_KEY.split(",") if k.strip()]


def legacy_keys() -> list[str]:
    """Keys links and digests were made with before subscriptions had a key of its own (SECRET_KEY):
    still accepted, so that links in mail already sent keep working until SECRET_KEY itself changes."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def email_digest(email: str, *, key: str | None = None) -> str:
    secret = ((key or subscription_keys()[0]) + ":subscriber-email").encode()
    return hmac.new(secret, email_normalise(email).encode(), hashlib.sha256).hexdigest()


def subscriber_by_email(email: str) -> Subscriber | None:
    """The subscriber of an address, looked up by its digest under the current key — or under an older key
    (a rotated SUBSCRIPTIONS_KEY, or SECRET_KEY before the own key), whose digest is then brought up to date."""
    current = email_digest(email)
    digests = [current, *(email_digest(email, key=k) for k in [*subscription_keys()[1:], *legacy_keys()])]
    found = {s.email_digest: s for s in Subscriber.objects.filter(email_digest__in=digests)}
    subscriber = found.get(current) or next((found[d] for d in digests if d in found), None)
    if subscriber is not None and subscriber.email_digest != current:
        Subscriber.objects.filter(pk=subscriber.pk).update(email_digest=current)
        subscriber.email_digest = current
    return subscriber


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def document_url(document: Document) -> str:
    return site_url(reverse("portal:document", kwargs={"index_no": document.index_no}))


# --- Tags of documents --------------------------------------------------------------------------------

def own_tags(document: Document) -> tuple[set[str], set[str]]:
    """(audiences, tags) from the document's own 服务对象 and 生命周期分类."""
    audiences = {_AUDIENCE_VALUES[a] for a in document.audiences or [] if a in _AUDIENCE_VALUES}
    tags = set()
    for stage in document.life_stages or []:
        if stage in LIFE_STAGES["person"]:
            tags.add(f"stage:{stage}")
        elif stage in LIFE_STAGES["legal_person"]:
            tags.add(f"estage:{stage}")
    return audiences, tags


def document_suggestion(document: Document) -> dict:
    return tagging.suggest(title=document.title, body_text=html_to_text(document.body or ""),
                           summary=document.summary, subject_words=document.subject_words)


def effective_tags(document: Document, record: DocumentTags | None) -> tuple[set[str], set[str], bool]:
    """(audiences, tags, suggested?) used for matching: the confirmed tags; else the document's own plus
    the suggestion (audiences are never taken from a suggestion: a wrong one would silence a match)."""
    if record is not None and record.state == DocumentTags.State.CONFIRMED:
        return set(record.audiences), set(record.tags), False
    audiences, tags = own_tags(document)
    suggested = set(record.tags) if record is not None else set(document_suggestion(document)["tags"])
    return audiences, tags | suggested, bool(suggested - tags)


class _Jurisdictions:
    """Organisation id → the path of the government it belongs to ("" for bodies outside any government)."""

    def __init__(self) -> None:
        self.rows = {o["id"]: o for o in Organisation.objects.values("id", "kind", "parent_id", "path")}
        self.cache: dict[int, str] = {}

    def __call__(self, organisation_id: int) -> str:
        if organisation_id not in self.cache:
            current = self.rows.get(organisation_id)
            path = ""
            while current is not None:
                if current["kind"] == Organisation.Kind.GOVERNMENT:
                    path = current["path"]
                    break
                current = self.rows.get(current["parent_id"])
            self.cache[organisation_id] = path
        return self.cache[organisation_id]


def document_facts(documents: list[Document], *, jurisdictions: _Jurisdictions | None = None) -> list[DocumentFacts]:
    jurisdictions = jurisdictions or _Jurisdictions()
    records = {t.document_id: t for t in DocumentTags.objects.filter(document__in=[d.pk for d in documents])}
    out = []
    for d in documents:
        record = records.get(d.pk)
        audiences, tags, suggested = effective_tags(d, record)
        if record is not None and record.state == DocumentTags.State.CONFIRMED:
            facet = {f"audience:{a}" for a in record.audiences} | set(record.tags)
        else:
            facet = set(search_own_tags(d.audiences, d.life_stages))
        issuers = list(d.issuers.all())
        body = html_to_text(d.body or "")
        words = frozenset(tagging.text_terms(" ".join([d.title, d.subject_words, d.summary, body])))
        topic = d.topic
        out.append(DocumentFacts(
            id=d.pk, title=d.title, url=document_url(d), organisation_id=d.organisation_id,
            issuer_ids=frozenset(i.organisation_id for i in issuers if i.organisation_id),
            issuer_names=frozenset(i.display_name for i in issuers) | {d.organisation.name},
            jurisdiction=jurisdictions(d.organisation_id),
            topic_id=d.topic_id, topic_parent_id=topic.parent_id if topic else None,
            topic_label=topic.label if topic else "", topic_parent_name=topic.parent.name if topic and topic.parent_id else "",
            genre=d.genre, validity=d.validity, year=str(d.published_at.year) if d.published_at else "",
            audiences=frozenset(audiences), tags=frozenset(tags), tags_suggested=suggested, words=words,
            facet_tags=frozenset(facet),
        ))
    return out


def documents_for_facts(ids) -> list[Document]:
    return list(Document.objects.filter(pk__in=ids).select_related("organisation", "topic__parent")
                .prefetch_related("issuers__organisation"))


# --- The subscription index -----------------------------------------------------------------------------

RECEIVING_STATES = (Subscriber.State.ACTIVE, Subscriber.State.DISABLED)


def subscription_index() -> SubscriptionIndex:
    """Every active subscription of a verified subscriber, indexed (matching.py); plain tuples, no models."""
    index = SubscriptionIndex()
    regions = dict(Organisation.objects.values_list("id", "path"))
    live = Subscription.objects.filter(is_active=True, subscriber__state__in=RECEIVING_STATES)
    for sid, subscriber_id, name, kind, region_id, tags in live.filter(kind=Subscription.Kind.PROFILE).values_list(
            "id", "subscriber_id", "profile__name", "profile__kind", "profile__region_id", "profile__tags").iterator(
            chunk_size=5000):
        index.add_profile(subscription_id=sid, subscriber_id=subscriber_id, name=name,
                          audience="person" if kind == Profile.Kind.PERSON else "legal_person",
                          region_path=regions.get(region_id, "") if region_id else "", tags=tags or [])
    for sid, subscriber_id, query in live.filter(kind=Subscription.Kind.SEARCH).values_list(
            "id", "subscriber_id", "query").iterator(chunk_size=5000):
        index.add_search(subscription_id=sid, subscriber_id=subscriber_id, query=query or {})
    for kind, field in (("topic", "topic_id"), ("column", "organisation_id"), ("document", "document_id")):
        for sid, subscriber_id, label, target in live.filter(kind=kind).values_list(
                "id", "subscriber_id", "label", field).iterator(chunk_size=5000):
            if target:
                index.add_simple(kind, subscription_id=sid, subscriber_id=subscriber_id, label=label, target_id=target)
    return index


# --- Accounts, feeds ----------------------------------------------------------------------------------

def account_subscriptions(subscriber: Subscriber) -> QuerySet[Subscription]:
    return subscriber.subscriptions.select_related("profile", "topic", "organisation", "document").annotate(
        push_count=Count("pushes"))


def account_export(subscriber: Subscriber) -> dict:
    """Everything stored about a subscriber (个人信息保护法 第四十五条: 查阅、复制)."""
    return {
        "联系方式": subscriber.contact, "状态": subscriber.get_state_display(),
        "推送频率": subscriber.get_frequency_display(),
        "同意": {"版本": subscriber.consent_version, "时间": subscriber.consent_at.isoformat(),
                "告知内容": conf.CONSENT_TEXT if subscriber.consent_version == conf.CONSENT_VERSION else ""},
        "验证时间": subscriber.verified_at.isoformat() if subscriber.verified_at else None,
        "画像": [{"名称": p.name, "类型": p.get_kind_display(), "地区": p.region.name if p.region_id else "",
                "标签": [conf.tag_label(t) for t in p.tags]} for p in subscriber.profiles.select_related("region")],
        "订阅": [{"类型": s.get_kind_display(), "名称": s.label, "检索条件": s.query} for s in subscriber.subscriptions.all()],
        "推送记录": [{"标题": p.title, "时间": p.created_at.isoformat(), "原因": p.reason,
                  "不相关": bool(p.not_relevant_at)} for p in subscriber.pushes.all()[:1000]],
        "邮件": [{"主题": m.subject, "状态": m.get_state_display(), "时间": m.created_at.isoformat()}
               for m in subscriber.messages.all()],
    }


def subscription_by_feed_token(token: str) -> Subscription | None:
    return Subscription.objects.filter(feed_token=token, is_active=True,
                                       subscriber__state__in=RECEIVING_STATES).first()


def subscription_feed_items(subscription: Subscription) -> list[Push]:
    return list(subscription.pushes.order_by("-id")[:conf.FEED_SIZE])


def profile_feed_documents(*, kind: str, tags: list[str], region: Organisation | None,
                           recent: int = 300) -> list[tuple[Document, str]]:
    """A feed for a profile without an account: the newest public documents that the profile matches."""
    index = SubscriptionIndex()
    index.add_profile(subscription_id=0, subscriber_id=0, name="画像", tags=tags,
                      audience="person" if kind == Profile.Kind.PERSON else "legal_person",
                      region_path=region.path if region else "")
    documents = documents_for_facts(documents_public().order_by("-published_at", "-id").values_list("pk", flat=True)[:recent])
    documents.sort(key=lambda d: (d.published_at or timezone.now(), d.pk), reverse=True)
    facts = {f.id: f for f in document_facts(documents)}
    out = []
    for d in documents:
        found = index.match_new(facts[d.pk])
        if found:
            out.append((d, found[0].reason))
        if len(out) >= conf.FEED_SIZE:
            break
    return out


def regions() -> QuerySet[Organisation]:
    """Governments a profile may name as its region."""
    return Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT, is_active=True).order_by("path")


# --- Staff ---------------------------------------------------------------------------------------------

def statistics(*, days: int = 30, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    subscribers = Subscriber.objects.aggregate(
        total=Count("id"), active=Count("id", filter=Q(state=Subscriber.State.ACTIVE)),
        pending=Count("id", filter=Q(state=Subscriber.State.PENDING)),
        disabled=Count("id", filter=Q(state=Subscriber.State.DISABLED)))
    frequencies = {str(Subscriber.Frequency(f).label): n for f, n in Subscriber.objects.filter(
        state=Subscriber.State.ACTIVE).values_list("frequency").annotate(n=Count("id")).order_by("frequency")}
    kinds = [(str(Subscription.Kind(k).label), n) for k, n in Subscription.objects.filter(is_active=True).values_list(
        "kind").annotate(n=Count("id")).order_by("-n")]
    tag_counts: dict[str, int] = {}
    for tags in Profile.objects.values_list("tags", flat=True).iterator(chunk_size=5000):
        for key in tags or []:
            tag_counts[key] = tag_counts.get(key, 0) + 1
    popular = sorted(((conf.tag_label(k), conf.DIMENSIONS.get(k.partition(":")[0], ""), n)
                      for k, n in tag_counts.items()), key=lambda r: -r[2])[:20]
    feedback = FeedbackCount.objects.filter(day__gte=since)
    by_kind = [{"kind": str(Subscription.Kind(r["kind"]).label) if r["kind"] in Subscription.Kind.values else r["kind"],
                "pushes": r["p"], "not_relevant": r["n"],
                "rate": round(100 * r["n"] / r["p"], 1) if r["p"] else 0.0}
               for r in feedback.filter(tag="").values("kind").annotate(p=Sum("pushes"), n=Sum("not_relevant")).order_by("-p")]
    by_tag = [{"tag": conf.tag_label(r["tag"]), "pushes": r["p"], "not_relevant": r["n"],
               "rate": round(100 * r["n"] / r["p"], 1) if r["p"] else 0.0}
              for r in feedback.exclude(tag="").values("tag").annotate(p=Sum("pushes"), n=Sum("not_relevant")).order_by("-p")[:20]]
    messages = {str(Message.State(s).label): n for s, n in Message.objects.values_list("state").annotate(n=Count("id"))}
    return {"days": days, "subscribers": subscribers, "frequencies": frequencies, "kinds": kinds, "popular": popular,
            "by_kind": by_kind, "by_tag": by_tag, "messages": messages,
            "pushes_recent": Push.objects.filter(created_at__date__gte=since).count(),
            "tags_to_confirm": DocumentTags.objects.filter(state=DocumentTags.State.SUGGESTED).count()}


def documents_to_tag(*, documents: QuerySet[Document], limit: int = 50) -> list[tuple[Document, DocumentTags | None]]:
    """Recent documents (the user may edit) whose push tags are not confirmed, newest first."""
    rows = list(documents.exclude(subscription_tags__state=DocumentTags.State.CONFIRMED)
                .select_related("organisation").order_by("-published_at", "-id")[:limit])
    records = {t.document_id: t for t in DocumentTags.objects.filter(document__in=rows)}
    return [(d, records.get(d.pk)) for d in rows]
