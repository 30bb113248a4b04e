"""政策订阅 in the workspace: statistics (aggregates only — no subscriber's address is ever shown to staff),
the e-mail queue, and the push tags the system suggests for recent documents, for the publisher to confirm."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.documents.selectors import documents_for_user
from gongkai.subscriptions import selectors, services

from ..access import staff_required
from . import push_tags


@staff_required
def statistics(request):
    return render(request, "workspace/subscriptions/statistics.html", {"stats": selectors.statistics()})


@require_POST
@staff_required
def retry_failed(request):
    n = services.messages_retry_failed(by=request.user)
    messages.success(request, f"已重新排队 {n} 封发送失败的邮件。")
    return redirect("workspace:subscriptions_statistics")


@staff_required
def tags(request):
    rows = []
    for document, record in selectors.documents_to_tag(documents=documents_for_user(user=request.user).filter(
            status="published")):
        if record is None:
            record = services.document_tags_suggest(document=document)
        own_audiences, own = selectors.own_tags(document)
        checked = set(record.tags) | own
        why = {k: ("关键词" if source == "keyword" else f"模型 {score}") for k, score, source in record.suggested}
        rows.append({"document": document, "record": record, "audiences": set(record.audiences) | own_audiences,
                     "groups": [(label, [(key, name, key in checked, why.get(key, "")) for key, name in options])
                                for label, options in push_tags.tag_groups()]})
    return render(request, "workspace/subscriptions/tags.html", {
        "rows": rows, "audience_choices": [("person", "个人"), ("legal_person", "法人")]})


@require_POST
@staff_required
def tags_confirm(request, pk: int):
    document = get_object_or_404(documents_for_user(user=request.user), pk=pk)
    try:
        services.document_tags_confirm(document=document, by=request.user, audiences=request.POST.getlist("audience"),
                                       tags=request.POST.getlist("tag"))
        messages.success(request, f"已确认《{document.title}》的推送标签。")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("workspace:subscriptions_tags")
