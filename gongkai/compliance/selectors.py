"""Reads of the compliance package: findings per organisation and its score, links, freshness."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from gongkai.core.models import Organisation
from gongkai.documents.models import Document, Genre, Status

from .explain import Explanation, rule_explanation
from .models import FalseAlarm, Finding, Severity

# Points an organisation loses per open finding; the score starts at 100 and stops at 0.
SCORE_PENALTY = {Severity.SEVERE: 10.0, Severity.WARNING: 2.0, Severity.INFO: 0.5}
_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)

# Columns of RULES §5 the document library can judge, with the longest allowed silence in days.
DEFAULT_COLUMNS = {
    "通知公告": {"genres": [Genre.NOTICE, Genre.ANNOUNCEMENT, Genre.PUBLIC_NOTICE, Genre.CIRCULAR], "max_days": 183},
    "政策文件": {"genres": [Genre.RULE, Genre.NORMATIVE, Genre.OPINION, Genre.DECISION, Genre.ORDER], "max_days": 183},
}


@dataclass
class OrganisationFindings:
    organisation: Organisation
    severe: int = 0
    warning: int = 0
    info: int = 0
    accepted: int = 0
    fixed: int = 0

    @property
    def open(self) -> int:
        return self.severe + self.warning + self.info

    @property
    def score(self) -> float:
        lost = (self.severe * SCORE_PENALTY[Severity.SEVERE] + self.warning * SCORE_PENALTY[Severity.WARNING]
                + self.info * SCORE_PENALTY[Severity.INFO])
        return max(0.0, 100.0 - lost)


def findings_by_organisation(*, organisations: QuerySet[Organisation]) -> list[OrganisationFindings]:
    """Counts of findings per organisation (open by severity, accepted, fixed) and the score."""
    rows = {o.pk: OrganisationFindings(organisation=o) for o in organisations}
    counts = (Finding.objects.filter(organisation__in=list(rows)).values("organisation_id").annotate(
        severe=Count("id", filter=Q(status=Finding.Status.OPEN, severity=Severity.SEVERE)),
        warning=Count("id", filter=Q(status=Finding.Status.OPEN, severity=Severity.WARNING)),
        info=Count("id", filter=Q(status=Finding.Status.OPEN, severity=Severity.INFO)),
        accepted=Count("id", filter=Q(status=Finding.Status.ACCEPTED)),
        fixed=Count("id", filter=Q(status=Finding.Status.FIXED)),
    ))
    for c in counts:
        row = rows[c["organisation_id"]]
        row.severe, row.warning, row.info, row.accepted, row.fixed = (
            c["severe"], c["warning"], c["info"], c["accepted"], c["fixed"])
    return sorted(rows.values(), key=lambda r: (r.score, r.organisation.path))


def findings_open(*, organisation: Organisation) -> QuerySet[Finding]:
    order = ["severity", "-last_seen"]
    return Finding.objects.filter(organisation=organisation, status=Finding.Status.OPEN).order_by(*order)


def document_links(*, document: Document) -> dict[str, list[str]]:
    """The links of a document's body: internal (this site) and external (RULES §5: list per page)."""
    internal, external = [], []
    for m in _HREF.finditer(document.body):
        href = html.unescape(m.group(1)).strip()
        if href.startswith(("mailto:", "tel:", "#", "javascript:")):
            continue
        if href.startswith("/") and not href.startswith("//") or href.startswith(settings.SITE_URL):
            internal.append(href)
        else:
            external.append(href)
    return {"internal": internal, "external": external}


@dataclass
class Freshness:
    """How current an organisation's published content is (RULES §5)."""

    last_published: dt.datetime | None
    home_stale: bool
    stale_columns: list[str] = field(default_factory=list)
    empty_columns: list[str] = field(default_factory=list)
    undated_items: int = 0


def organisation_freshness(*, organisation: Organisation, now: dt.datetime | None = None) -> Freshness:
    now = now or timezone.now()
    columns = getattr(settings, "COMPLIANCE_COLUMNS", DEFAULT_COLUMNS)
    # Only what was out by `now`: an assessment of a past period is not changed by later publications.
    published = Document.objects.filter(organisation=organisation, status=Status.PUBLISHED).filter(
        Q(published_at__lte=now) | Q(published_at__isnull=True))
    last = published.aggregate(last=Max("published_at"))["last"]
    result = Freshness(last_published=last, home_stale=last is None or now - last > dt.timedelta(days=14),
                       undated_items=published.filter(published_at__isnull=True).count())
    for name, column in columns.items():
        latest = published.filter(genre__in=column["genres"]).aggregate(last=Max("published_at"))["last"]
        if not published.filter(genre__in=column["genres"]).exists():
            result.empty_columns.append(name)
        elif latest is None or now - latest > dt.timedelta(days=column["max_days"]):
            result.stale_columns.append(name)
    return result


def findings_of(*, organisation_ids) -> QuerySet[Finding]:
    """Findings of the given organisations (for the assessment in oversight)."""
    return Finding.objects.filter(organisation_id__in=list(organisation_ids))


@dataclass
class RuleNoise:
    """How often publishers marked a rule as a false alarm, against how often it fired."""

    rule: str
    false_alarms: int
    findings: int
    explanation: Explanation | None

    @property
    def share(self) -> float:
        """False alarms per finding of the rule (0–1); a high share says the rule is noisy."""
        return self.false_alarms / self.findings if self.findings else 0.0


def false_alarms_by_rule(*, organisations: QuerySet[Organisation]) -> list[RuleNoise]:
    """False-alarm marks counted per rule (most marked first), with the number of findings the rule raised."""
    ids = list(organisations.values_list("pk", flat=True))
    marks = dict(FalseAlarm.objects.filter(organisation_id__in=ids).values("rule").annotate(n=Count("id"))
                 .values_list("rule", "n"))
    raised = dict(Finding.objects.filter(organisation_id__in=ids, rule__in=list(marks)).values("rule")
                  .annotate(n=Count("id")).values_list("rule", "n"))
    rows = [RuleNoise(rule=rule, false_alarms=n, findings=max(raised.get(rule, 0), n),
                      explanation=rule_explanation(rule)) for rule, n in marks.items()]
    return sorted(rows, key=lambda r: (-r.false_alarms, -r.share, r.rule))
