"""The push tags (政策找人) inside the staff document form: what the system suggests for the document, to be
confirmed or corrected while editing it, not only on the separate 确认推送标签 page. Confirmed tags are used for
matching subscribers' profiles and feed the library's 适用对象 facets (subscriptions.services.facet_tags)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError

from gongkai.documents.models import Document
from gongkai.subscriptions import conf, selectors, services
from gongkai.subscriptions.models import DocumentTags

AUDIENCE_CHOICES = [("person", "个人"), ("legal_person", "法人")]
CONFIRM_FIELD = "push_tags_confirm"


def tag_groups():
    """The tag vocabulary by dimension: [(label, [(key, name)])]."""
    return [(label, [(t.key, t.label) for t in conf.tags_of(dimension)]) for dimension, label in conf.DIMENSIONS.items()]


def suggestion_rows(document: Document | None, record: DocumentTags | None = None, *, posted=None) -> dict:
    """What the form shows: audiences and tags ticked (confirmed ones; else the document's own plus the
    suggestion), each suggestion with why (keyword or model score). `posted`: the submitted values win."""
    why: dict[str, str] = {}
    audiences: set[str] = set()
    checked: set[str] = set()
    confirmed = record is not None and record.state == DocumentTags.State.CONFIRMED
    if document is not None and document.pk:
        own_audiences, own = selectors.own_tags(document)
        if confirmed:
            audiences, checked = set(record.audiences), set(record.tags)
        else:
            suggestion = selectors.document_suggestion(document)
            scored = suggestion["scored"]
            audiences, checked = own_audiences | set(suggestion["audiences"]), own | set(suggestion["tags"])
            why = {k: ("关键词" if source == "keyword" else f"模型 {score}") for k, score, source in scored}
    if posted is not None:
        audiences, checked = set(posted.getlist("push_audience")), set(posted.getlist("push_tag"))
    return {
        "confirmed": confirmed, "record": record, "audiences": audiences, "audience_choices": AUDIENCE_CHOICES,
        "groups": [(label, [(key, name, key in checked, why.get(key, "")) for key, name in options])
                   for label, options in tag_groups()],
        "confirm_field": CONFIRM_FIELD,
    }


def form_context(document: Document | None, request) -> dict:
    record = DocumentTags.objects.filter(document=document).first() if document is not None and document.pk else None
    posted = request.POST if request.method == "POST" and CONFIRM_FIELD in request.POST else None
    return suggestion_rows(document, record, posted=posted)


def save_from_form(request, document: Document) -> None:
    """After the document was saved: confirm the push tags when the publisher ticked "确认推送标签"."""
    if CONFIRM_FIELD not in request.POST:
        return
    try:
        services.document_tags_confirm(document=document, by=request.user,
                                       audiences=request.POST.getlist("push_audience"),
                                       tags=request.POST.getlist("push_tag"))
    except ValidationError as exc:
        messages.error(request, "推送标签未确认：" + exc.messages[0])
    else:
        messages.success(request, "推送标签已确认：用于按画像推送，并作为政策文件库的“适用对象”筛选。")
