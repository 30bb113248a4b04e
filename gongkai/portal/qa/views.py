"""The 政策问答 column (一网可答, seeds 000 四(一), 002 6, 003 一(二)): one question box, the best answer with
its official sources and department, "was this helpful?", related entries, browsing by topic and audience,
and — when the base cannot answer — the way to a person (the interaction mailbox when the platform has it,
else the hotline). The matcher is the same function as `gongkai ask` and the API (`qa_ask`)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from gongkai.core.ratelimit import RateLimited, rate_limit_check
from gongkai.qa import conf, selectors, services
from gongkai.qa.models import Entry, EntryState

from ..views_applications import _client_address

MAX_QUESTION = 200
# The public mailbox of the interaction package (issue 20: "can't answer" → a person), first that exists.
HANDOFF_URL_NAMES = ("portal:interaction_boxes",)
FEEDBACK_LIMIT = "30/3600"


def _crumbs(*extra):
    return [("政策问答", reverse("portal:qa_ask")), *extra]


def handoff_url(question: str) -> str:
    for name in HANDOFF_URL_NAMES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        return f"{url}?{urlencode({'subject': question[:100]})}" if question else url
    return ""


def ask(request):
    question = (request.GET.get("q") or "").strip()[:MAX_QUESTION]
    topic = (request.GET.get("topic") or "").strip()[:60]
    audience = (request.GET.get("audience") or "").strip()[:60]
    context = {"nav": "wenda", "question": question, "topic": topic, "audience": audience,
               "facets": selectors.qa_facets(), "hotline": conf.HOTLINE,
               "crumbs": _crumbs() if question or topic or audience else [("政策问答", "")]}
    if question:
        result = selectors.qa_ask(question, limit=6)
        entries = selectors.qa_entries_by_ids([a["id"] for a in result["answers"]])
        context.update(abstained=result["abstained"], handoff=handoff_url(question),
                       best=None if result["abstained"] or not entries else entries[0],
                       related=entries[1:] if not result["abstained"] else entries[:3])
    elif topic or audience:
        context["browse"] = list(selectors.qa_browse(topic=topic, audience=audience)[:50])
    else:
        context["latest"] = list(selectors.qa_published().order_by("-helpful_yes", "-updated_at")[:10])
    return render(request, "portal/qa/ask.html", context)


def entry(request, pk: int):
    item = selectors.qa_entry_public(pk)
    if item is None:
        raise Http404
    return render(request, "portal/qa/entry.html", {
        "nav": "wenda", "entry": item, "sources": _sources(item), "related": selectors.qa_related(item, limit=5),
        "thanks": request.GET.get("thanks") == "1", "crumbs": _crumbs((item.question[:30], "")),
    })


def _sources(item: Entry) -> list[tuple]:
    return [(d, item.source_articles.get(str(d.pk), "")) for d in item.sources.all()]


@require_POST
def feedback(request, pk: int):
    """Counted only (no personal data); limited per address so that a script cannot inflate it."""
    item = get_object_or_404(Entry, pk=pk, state=EntryState.PUBLISHED)
    try:
        rate_limit_check(scope="qa_feedback", key=_client_address(request), limit=FEEDBACK_LIMIT)
    except RateLimited:
        return redirect(f"{reverse('portal:qa_entry', args=[pk])}?thanks=1")
    services.qa_feedback(entry=item, helpful=request.POST.get("helpful") == "yes")
    return redirect(f"{reverse('portal:qa_entry', args=[pk])}?thanks=1")
