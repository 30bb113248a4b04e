"""Reads of 政民互动: the 3-month rule, statistics per organisation, hot topics, similar answered messages."""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai import text as analyzer
from gongkai.core import workdays
from gongkai.core.models import Organisation, User
from gongkai.core.selectors import organisations_for_user
from gongkai.qa import selectors as qa_selectors

from . import clock, conf
from .models import ErrorReport, Interview, Mailbox, Message, Survey

STOP = {"问题", "关于", "反映", "请求", "希望", "建议", "咨询", "市民", "请问", "一下", "什么", "如何", "能否", "为什么"}
PLACE = re.compile(r"[A-Z]\d*[市区县]|[\u4e00-\u9fff]{2,6}(?:街道|镇|乡|社区|村|小区)")


def valid_messages() -> QuerySet[Message]:
    """Messages the 3-month rule counts: every message not found invalid at 受理."""
    return Message.objects.exclude(status=Message.Status.INVALID)


def _limit_passed(submitted: dt.datetime, at: dt.datetime, months: int) -> bool:
    """Over the limit from the day after the same date `months` later (calendar days, not working days)."""
    return timezone.localdate(at) > timezone.localdate(submitted) + relativedelta(months=months)


@dataclass
class Overdue:
    message: Message
    days_waiting: int
    replied_late: bool


def unanswered_over_limit(*, today: dt.date | None = None, months: int = conf.UNANSWERED_LIMIT_MONTHS,
                          lookback_months: int = conf.UNANSWERED_LOOKBACK_MONTHS,
                          organisation_ids: set[int] | None = None) -> list[Overdue]:
    """RULES §5 互动回应差: valid messages of the last `lookback_months` left unanswered for over `months`
    (still unanswered today, or answered only after the limit), oldest first."""
    today = today or timezone.localdate()
    now = timezone.make_aware(dt.datetime.combine(today, dt.time.max))
    since = now - relativedelta(months=lookback_months)
    qs = valid_messages().filter(submitted_at__gte=since).select_related("mailbox", "organisation")
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=organisation_ids)
    found = []
    for m in qs.order_by("submitted_at", "id"):
        end = m.replied_at or now
        if _limit_passed(m.submitted_at, end, months):
            found.append(Overdue(m, (end - m.submitted_at).days, m.replied_at is not None))
    return found


@dataclass
class OrgStats:
    organisation: str
    volume: int = 0
    invalid: int = 0
    replied: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    over_three_months: int = 0
    median_working_days: float | None = None
    satisfaction: float | None = None
    reply_working_days: list[int] = field(default_factory=list, repr=False)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.replied if self.replied else None


def statistics(*, since: dt.date, until: dt.date, today: dt.date | None = None) -> list[OrgStats]:
    """Per handling organisation for messages submitted in [since, until]: volume, on-time rate, median reply
    time in working days, satisfaction (mean rating), late replies and the 3-month count."""
    today = today or timezone.localdate()
    rows: dict[str, OrgStats] = {}
    ratings: dict[str, list[int]] = defaultdict(list)
    qs = Message.objects.filter(submitted_at__date__gte=since, submitted_at__date__lte=until).select_related(
        "organisation")
    for m in qs:
        s = rows.setdefault(m.organisation.name, OrgStats(m.organisation.name))
        s.volume += 1
        if m.status == Message.Status.INVALID:
            s.invalid += 1
            continue
        end = m.replied_at or timezone.make_aware(dt.datetime.combine(today, dt.time.max))
        if _limit_passed(m.submitted_at, end, conf.UNANSWERED_LIMIT_MONTHS):
            s.over_three_months += 1
        if m.replied_at:
            s.replied += 1
            replied_on = timezone.localdate(m.replied_at)
            s.reply_working_days.append(workdays.working_days_between(timezone.localdate(m.submitted_at), replied_on))
            if not m.late_replies and (m.due_on is None or replied_on <= m.due_on):
                s.on_time += 1
            else:
                s.late += 1
        elif m.due_on and today > m.due_on:
            s.open_overdue += 1
        if m.rating:
            ratings[m.organisation.name].append(m.rating)
    for name, s in rows.items():
        if s.reply_working_days:
            s.median_working_days = stats.median(s.reply_working_days)
        if ratings[name]:
            s.satisfaction = sum(ratings[name]) / len(ratings[name])
    return sorted(rows.values(), key=lambda s: -s.volume)


def _terms(text_: str) -> Counter[str]:
    return Counter(w for w in analyzer.words(text_) if len(w) > 1 and w not in STOP and not w.isdigit())


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


@dataclass
class Topic:
    label: str
    place: str
    count: int
    recent: int
    earlier: int
    message_ids: list[int]
    previous: int = 0  # messages on the same topic in the preceding window of the same length (环比)

    @property
    def trend(self) -> str:
        return "上升" if self.recent > self.earlier else ("下降" if self.recent < self.earlier else "持平")

    @property
    def change(self) -> str:
        """Against the preceding window of the same length: new, up, down or level (环比)."""
        if not self.previous:
            return "新出现"
        return "上升" if self.count > self.previous else ("下降" if self.count < self.previous else "持平")


def hot_topics(*, since: dt.datetime, until: dt.datetime, limit: int = 10, threshold: float = 0.5) -> list[Topic]:
    """热点问题: messages of the window clustered by place (the 区/县/街道/小区 named in subject or text) and
    subject similarity (the shared analyzer's words, cosine ≥ `threshold`), ranked by count; `trend` compares
    the second half of the window with the first, `change` the window with the preceding one of the same
    length (环比, `previous`)."""
    middle = since + (until - since) / 2
    clusters: list[dict] = []
    by_place: dict[str, list[dict]] = defaultdict(list)
    for m in valid_messages().filter(submitted_at__gte=since, submitted_at__lte=until).only(
            "id", "subject", "text", "submitted_at").order_by("submitted_at", "id"):
        places = PLACE.findall(m.subject) or PLACE.findall(m.text[:200])
        place = places[0] if places else ""
        terms = _terms(m.subject)
        best, score = None, threshold
        for cl in by_place[place]:
            s = _cosine(terms, cl["centroid"])
            if s >= score:
                best, score = cl, s
        if best is None:
            best = {"place": place, "centroid": Counter(), "ids": [], "recent": 0, "earlier": 0, "terms": Counter()}
            by_place[place].append(best)
            clusters.append(best)
        best["ids"].append(m.pk)
        best["centroid"] += terms
        best["terms"] += terms
        best["recent" if m.submitted_at >= middle else "earlier"] += 1
    clusters.sort(key=lambda cl: (-len(cl["ids"]), cl["ids"][0]))
    shown = clusters[:limit]
    # 环比: the preceding window of the same length, each message counted for the shown topic it matches best.
    previous: Counter[int] = Counter()
    for m in valid_messages().filter(submitted_at__gte=since - (until - since), submitted_at__lt=since).only(
            "id", "subject", "text"):
        places = PLACE.findall(m.subject) or PLACE.findall(m.text[:200])
        terms, best, score = _terms(m.subject), None, threshold
        for n, cl in enumerate(shown):
            if cl["place"] == (places[0] if places else ""):
                sim = _cosine(terms, cl["centroid"])
                if sim >= score:
                    best, score = n, sim
        if best is not None:
            previous[best] += 1
    topics = []
    for n, cl in enumerate(shown):
        words = [w for w, _ in cl["terms"].most_common(5) if w not in cl["place"].lower()][:3]
        topics.append(Topic(label="、".join(words), place=cl["place"], count=len(cl["ids"]), recent=cl["recent"],
                            earlier=cl["earlier"], message_ids=cl["ids"], previous=previous[n]))
    return topics


def similar_answered(*, message: Message, limit: int = 5) -> list[tuple[float, Message]]:
    """The answered messages most like this one (subject and text), for reply templates."""
    target = _terms(f"{message.subject} {message.subject} {message.text[:500]}")
    scored = []
    for other in Message.objects.filter(replied_at__isnull=False).exclude(pk=message.pk).only(
            "id", "subject", "text", "reply_text", "tracking_code"):
        s = _cosine(target, _terms(f"{other.subject} {other.subject} {other.text[:500]}"))
        if s > 0.2:
            scored.append((s, other))
    scored.sort(key=lambda p: -p[0])
    return scored[:limit]


def reply_time_distribution(*, qs: QuerySet[Message] | None = None) -> dict[str, int]:
    """Calendar days from message to reply, in bands (what the real data shows)."""
    bands = {"≤5天": 5, "6-15天": 15, "16-30天": 30, "31-90天": 90}
    out = Counter()
    for m in (qs if qs is not None else Message.objects.filter(replied_at__isnull=False)).only("submitted_at", "replied_at"):
        days = (m.replied_at - m.submitted_at).days
        out[next((k for k, v in bands.items() if days <= v), ">90天")] += 1
    return {k: out.get(k, 0) for k in [*bands, ">90天"]}


# --- Faces: public lists, staff inboxes, suggestions before sending ---------------------------------------

def boxes_public() -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(is_active=True).select_related("organisation").order_by("organisation__path", "kind", "id")


def published_replies(*, q: str = "", organisation: Organisation | None = None,
                      mailbox: Mailbox | None = None) -> QuerySet[Message]:
    """Published replies, newest first; `q` matches the subject, the message or the reply (every word)."""
    qs = Message.objects.filter(status=Message.Status.PUBLISHED).select_related("mailbox", "organisation")
    if organisation is not None:
        qs = qs.filter(organisation__path__startswith=organisation.path)
    if mailbox is not None:
        qs = qs.filter(mailbox=mailbox)
    for word in query_terms(q):
        qs = qs.filter(Q(subject__icontains=word) | Q(text__icontains=word) | Q(reply_text__icontains=word))
    return qs.order_by("-published_at", "-id")


def query_terms(q: str) -> list[str]:
    """The words of a search box: split on spaces; a long run of Chinese is cut by the shared analyzer."""
    terms: list[str] = []
    for part in (q or "").split()[:8]:
        if len(part) > 4 and not part.isascii():
            terms += [w for w in analyzer.words(part) if len(w) > 1 and w not in STOP] or [part]
        else:
            terms.append(part)
    return list(dict.fromkeys(terms))[:8]


def _staff_orgs(user: User) -> QuerySet[Organisation]:
    return organisations_for_user(user=user)


def messages_for_user(*, user: User) -> QuerySet[Message]:
    """Messages whose box or handling organisation is one the user may see in the back office."""
    orgs = _staff_orgs(user)
    return Message.objects.filter(Q(organisation__in=orgs) | Q(mailbox__organisation__in=orgs)).select_related(
        "mailbox", "organisation", "assignee").distinct()


def error_reports_for_user(*, user: User) -> QuerySet[ErrorReport]:
    orgs = _staff_orgs(user)
    return ErrorReport.objects.filter(Q(organisation__in=orgs) | Q(operator__in=orgs)).select_related(
        "organisation", "operator", "page_owner").distinct()


def open_messages_count(*, user: User) -> dict[str, int]:
    today = timezone.localdate()
    qs = messages_for_user(user=user).filter(status__in=["submitted", "accepted"])
    return {"open": qs.count(), "overdue": qs.filter(due_on__lt=today).count()}


def message_clock(*, message: Message, today: dt.date | None = None) -> clock.Clock:
    """The clock derived from the events, with its explanation (shown to staff and to the citizen)."""
    return clock.derive(list(message.events.all()), reply_days=message.reply_days or message.mailbox.reply_days,
                        today=today or timezone.localdate())


def similar_open(*, message: Message, threshold: float = 0.6, limit: int = 10) -> list[tuple[float, Message]]:
    """Open messages of the same boxes' organisation tree saying nearly the same (candidates to group)."""
    target = _terms(f"{message.subject} {message.subject} {message.text[:500]}")
    root = message.mailbox.organisation.path.split("/")[1]
    scored = []
    for other in Message.objects.filter(status__in=["submitted", "accepted"], group_of=None,
                                        mailbox__organisation__path__startswith=f"/{root}/").exclude(
            pk=message.pk).only("id", "subject", "text", "tracking_code", "submitted_at"):
        s = _cosine(target, _terms(f"{other.subject} {other.subject} {other.text[:500]}"))
        if s >= threshold:
            scored.append((s, other))
    scored.sort(key=lambda p: -p[0])
    return scored[:limit]


def suggestions_before_sending(*, subject: str, text: str = "", limit: int = 3) -> dict[str, list]:
    """What may already answer the citizen: entries of the policy Q&A base (the Q&A matcher) and published
    replies to similar messages (the shared analyzer)."""
    question = f"{subject} {text[:300]}".strip()
    if not question:
        return {"qa": [], "replies": []}
    target = _terms(f"{subject} {subject} {text[:300]}")
    scored = []
    for other in published_replies().select_related(None).only("id", "subject", "text", "published_at")[:2000]:
        s = _cosine(target, _terms(f"{other.subject} {other.subject} {other.text[:300]}"))
        if s > 0.3:
            scored.append((s, other))
    scored.sort(key=lambda p: -p[0])
    return {"qa": qa_selectors.qa_suggest(question, limit=limit), "replies": [m for _, m in scored[:limit]]}


def three_month_summary(*, today: dt.date | None = None, organisation_ids: set[int] | None = None) -> list[dict]:
    """The 3-month rule per organisation and box: how many, still unanswered / answered late."""
    rows: dict[tuple[str, str], dict] = {}
    for o in unanswered_over_limit(today=today, organisation_ids=organisation_ids):
        key = (o.message.organisation.name, o.message.mailbox.name)
        row = rows.setdefault(key, {"organisation": key[0], "mailbox": key[1], "open": 0, "late": 0})
        row["late" if o.replied_late else "open"] += 1
    return sorted(rows.values(), key=lambda r: (-(r["open"] + r["late"]), r["organisation"]))


@dataclass
class ReportStats:
    organisation: str
    received: int = 0
    closed: int = 0
    on_time: int = 0
    open_overdue: int = 0


def error_report_statistics(*, since: dt.date, until: dt.date, today: dt.date | None = None) -> list[ReportStats]:
    today = today or timezone.localdate()
    rows: dict[str, ReportStats] = {}
    for r in ErrorReport.objects.filter(submitted_at__date__gte=since, submitted_at__date__lte=until).select_related(
            "organisation"):
        s = rows.setdefault(r.organisation.name, ReportStats(r.organisation.name))
        s.received += 1
        if r.status == ErrorReport.Status.CLOSED:
            s.closed += 1
            s.on_time += 1 if r.on_time else 0
        else:
            due = r.forward_due_on if r.status == ErrorReport.Status.RECEIVED else r.reply_due_on
            s.open_overdue += 1 if due and today > due else 0
    return sorted(rows.values(), key=lambda s: -s.received)


# --- 在线访谈 --------------------------------------------------------------------------------------------------

INTERVIEW_STATUS = {"announced": "预告", "live": "正在直播", "ended": "已结束", "archived": "文字实录"}


def interview_status(*, interview: Interview, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if interview.transcript_published_at:
        return "archived"
    if now < interview.starts_at:
        return "announced"
    return "live" if now <= interview.ends_at else "ended"


def interviews_public() -> QuerySet[Interview]:
    return Interview.objects.select_related("organisation").order_by("-starts_at", "-id")


def interviews_for_user(*, user: User) -> QuerySet[Interview]:
    return interviews_public().filter(organisation__in=organisations_for_user(user=user))


def interview_counts(*, year: int, organisations: QuerySet[Organisation] | None = None) -> list[dict]:
    """Interviews held per organisation in `year` (seed 001 (十一): at least one a year for the departments
    close to the economy and livelihood), with those below the minimum flagged; the assessment reads this."""
    orgs = organisations if organisations is not None else Organisation.objects.all()
    counts = Counter(Interview.objects.filter(starts_at__year=year).values_list("organisation_id", flat=True))
    return [{"organisation": o, "count": counts.get(o.pk, 0), "below": counts.get(o.pk, 0) < conf.INTERVIEWS_PER_YEAR_MIN}
            for o in orgs.order_by("path")]


# --- 网上调查 --------------------------------------------------------------------------------------------------

def survey_status(*, survey: Survey, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    return "forthcoming" if today < survey.opens_on else ("open" if today <= survey.closes_on else "closed")


SURVEY_STATUS = {"forthcoming": "未开始", "open": "进行中", "closed": "已结束"}


def surveys_public() -> QuerySet[Survey]:
    return Survey.objects.select_related("organisation").order_by("-opens_on", "-id")


def surveys_for_user(*, user: User) -> QuerySet[Survey]:
    return surveys_public().filter(organisation__in=organisations_for_user(user=user))


def survey_results(*, survey: Survey) -> dict:
    """Counts per option of each choice question (with the share of answer sheets), the number of text answers
    (their content is not published: it may hold personal data), and the number of sheets."""
    sheets = list(survey.responses.values_list("answers", flat=True))
    rows = []
    for q in survey.questions.all():
        key = str(q.pk)
        if q.kind == "text":
            rows.append({"question": q, "text_answers": sum(1 for a in sheets if a.get(key)), "options": []})
            continue
        counts = Counter()
        for a in sheets:
            value = a.get(key)
            for v in (value if isinstance(value, list) else [value] if value else []):
                counts[v] += 1
        top = max(counts.values(), default=0)
        rows.append({"question": q, "options": [
            {"label": o, "count": counts.get(o, 0), "share": counts.get(o, 0) / len(sheets) if sheets else 0.0,
             "bar": round(100 * counts.get(o, 0) / top) if top else 0} for o in q.options]})
    return {"sheets": len(sheets), "rows": rows}
def message_over_limit(*, message: Message, at: dt.datetime, months: int = conf.UNANSWERED_LIMIT_MONTHS) -> bool:
    """As it stood at `at`: was the message unanswered for over `months`? A reply after `at` does not count
    yet, so an assessment of a past period gives the same answer whenever it is computed (RULES §5)."""
    end = message.replied_at if message.replied_at and message.replied_at <= at else at
    return _limit_passed(message.submitted_at, end, months)
