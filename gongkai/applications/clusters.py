"""From requests to proactive disclosure (依申请转主动, 条例 第四十四条).

Clusters of similar requests received over the last 12 months: single-link clustering of the
applications whose request texts have a cosine similarity (character bigrams, see `similarity`) of
at least `similarity.CLUSTER_THRESHOLD`. A cluster with requests from several applicants is a
candidate for proactive publication; `cluster_draft_start` opens a document draft for it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from gongkai.core.models import Organisation, User
from gongkai.core.services import audit_record

from . import similarity
from .dates import date_cn
from .fees import applicant_fingerprint
from .letter_models import ApplicantFingerprint
from .models import Application

MAX_APPLICATIONS = 5000  # the most recent ones; all pairs are compared


@dataclass
class Cluster:
    applications: list[Application]
    representative: Application
    applicants: int
    cohesion: float  # mean similarity of the members to the representative
    organisations: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        rep = self.representative
        text = (rep.info_title or rep.description).strip()
        return text if len(text) <= 60 else text[:60] + "…"

    @property
    def size(self) -> int:
        return len(self.applications)

    @property
    def first_received(self) -> dt.date:
        return min(a.received_on for a in self.applications)

    @property
    def last_received(self) -> dt.date:
        return max(a.received_on for a in self.applications)

    @property
    def ids(self) -> list[int]:
        return sorted(a.pk for a in self.applications)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def request_clusters(
    *,
    organisation_ids: list[int],
    today: dt.date | None = None,
    months: int = 12,
    threshold: float = similarity.CLUSTER_THRESHOLD,
    min_size: int = 2,
) -> list[Cluster]:
    """Clusters of similar requests received in the last `months` months, largest first."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=round(months * 30.44))
    apps = list(
        Application.objects.filter(organisation_id__in=organisation_ids, received_on__gte=since,
                                   received_on__lte=today)
        .select_related("organisation", "fingerprint").order_by("-received_on", "-id")[:MAX_APPLICATIONS]
    )
    vectors = [similarity.bigrams(similarity.request_text(info_title=a.info_title, description=a.description))
               for a in apps]
    # Only pairs sharing a bigram can be similar: an inverted index keeps the comparisons few.
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        for gram in vec:
            postings[gram].append(i)
    parent = list(range(len(apps)))
    scores: dict[tuple[int, int], float] = {}
    for i, vec in enumerate(vectors):
        candidates = {j for gram in vec for j in postings[gram] if j > i}
        for j in candidates:
            score = similarity.cosine(vec, vectors[j])
            if score >= threshold:
                scores[(i, j)] = score
                parent[_find(parent, i)] = _find(parent, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(apps)):
        groups[_find(parent, i)].append(i)
    clusters = []
    for members in groups.values():
        if len(members) < min_size:
            continue

        def pair(a: int, b: int) -> float:
            return 1.0 if a == b else scores.get((min(a, b), max(a, b))) or similarity.cosine(vectors[a], vectors[b])

        rep = max(members, key=lambda m: sum(pair(m, o) for o in members))
        fingerprints = set()
        for m in members:
            app = apps[m]
            try:
                fp = app.fingerprint
            except ApplicantFingerprint.DoesNotExist:
                fp = applicant_fingerprint(application=app)
            fingerprints.add(fp.value if fp else f"app:{app.pk}")
        clusters.append(Cluster(
            applications=[apps[m] for m in members], representative=apps[rep], applicants=len(fingerprints),
            cohesion=round(sum(pair(rep, m) for m in members if m != rep) / (len(members) - 1), 3),
            organisations=sorted({apps[m].organisation.name for m in members}),
        ))
    clusters.sort(key=lambda c: (-c.applicants, -c.size, -c.cohesion))
    return clusters


@transaction.atomic
def cluster_draft_start(*, application_ids: list[int], organisation: Organisation, by: User | None):
    """Open a draft document for proactive publication of what a cluster of requests asked for.

    The draft names the information sought and how often it was requested — never the applicants.
    Needs a drafting role at `organisation` (document_create checks it).
    """
    from gongkai.documents.services import document_create

    apps = list(Application.objects.filter(pk__in=application_ids, organisation=organisation))
    if len(apps) < 2:
        raise ValidationError("请至少选择两件本机关收到的相似申请。")
    vectors = {a.pk: similarity.bigrams(similarity.request_text(info_title=a.info_title, description=a.description))
               for a in apps}
    rep = max(apps, key=lambda a: sum(similarity.cosine(vectors[a.pk], v) for v in vectors.values()))
    label = (rep.info_title or rep.description).strip()[:80]
    first, last = min(a.received_on for a in apps), max(a.received_on for a in apps)
    body = (
        f"<p>依申请公开转主动公开（《中华人民共和国政府信息公开条例》第四十四条）。</p>"
        f"<p>{date_cn(first)}至{date_cn(last)}，本机关共收到{len(apps)}件申请获取以下政府信息，"
        f"经审查可以公开的，纳入主动公开范围：</p><p>{escape(label)}</p>"
        "<p>（起草说明：请核对拟公开信息的内容、依据和保密审查意见后提交审核。）</p>"
    )
    document = document_create(organisation=organisation, by=by, title=label, summary=f"依申请转主动公开：{label}",
                               body=body)
    audit_record(actor=by, action="application.cluster_draft", obj=document, organisation=organisation,
                 after={"document": document.pk, "applications": sorted(a.pk for a in apps)})
    return document
