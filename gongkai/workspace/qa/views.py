"""The policy Q&A base in the back office (issue 20): the list by state (drafts, published, flagged because
a source was repealed or expired, stale), create and edit (an edit goes back to review), review through the
gate (a reviewer other than the editor, the content checks, sources in force), near-duplicates side by side
to merge, and drafts offered from an interpretation's questions and from an answered citizen message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core.selectors import organisations_for_user
from gongkai.documents.models import Interpretation
from gongkai.interaction.models import Message
from gongkai.qa import selectors, services
from gongkai.qa.models import Entry, EntryState

from ..access import staff_required
from ..forms import apply_service_error, error_text
from . import forms

PAGE_SIZE = 30
TABS = [("", "全部"), ("draft", "待审核"), ("published", "已发布"), ("flagged", "来源失效待复核"), ("stale", "久未更新")]


def _organisations(user):
    return organisations_for_user(user=user, roles=services.EDITING_ROLES)


@staff_required
def entry_list(request):
    state = request.GET.get("state", "")
    if state not in dict(TABS):
        state = ""
    q = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.qa_stale() if state == "stale" else selectors.qa_staff_list(state=state, q=q)
    if state == "stale" and q:
        qs = qs.filter(question__icontains=q)
    page = Paginator(qs.order_by("-updated_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    interpretations = Interpretation.objects.filter(form=Interpretation.Form.QA).exclude(
        state=Interpretation.State.WITHDRAWN).order_by("-id")[:50]
    return render(request, "workspace/qa/list.html", {
        "page": page, "tabs": TABS, "state": state, "q": q, "interpretations": interpretations,
        "counts": {"draft": Entry.objects.filter(state=EntryState.DRAFT).count(),
                   "flagged": selectors.qa_flagged().count()},
        "can_create": _organisations(request.user).exists(),
    })


def _form_page(request, entry: Entry | None):
    form_kwargs = {"user": request.user, "organisations": _organisations(request.user)}
    if request.method == "POST":
        form = forms.EntryForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                saved = services.qa_entry_save(**form.service_kwargs(), entry=entry, by=request.user, check_roles=True,
                                               external_id=entry.external_id if entry else "")
            except ValidationError as exc:
                apply_service_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "已保存为草稿，须经审核人审核后发布。")
                return redirect("workspace:qa_detail", saved.pk)
    else:
        form = forms.EntryForm(initial=forms.initial_of(entry) if entry else {}, **form_kwargs)
    return render(request, "workspace/qa/form.html", {"form": form, "entry": entry})


@staff_required
def entry_create(request):
    return _form_page(request, None)


@staff_required
def entry_edit(request, pk: int):
    return _form_page(request, get_object_or_404(Entry, pk=pk))


@staff_required
def entry_detail(request, pk: int):
    entry = get_object_or_404(Entry.objects.select_related("organisation", "reviewer", "edited_by"), pk=pk)
    return render(request, "workspace/qa/detail.html", {
        "entry": entry, "problems": services.qa_review_problems(entry),
        "can_review": services.qa_can_review(user=request.user, entry=entry) and entry.edited_by_id != request.user.pk,
        "can_edit": services.qa_can_edit(user=request.user, entry=entry),
        "sources": [(d, entry.source_articles.get(str(d.pk), "")) for d in entry.sources.all()],
        "related": selectors.qa_related(entry, limit=5),
    })


@staff_required
@require_POST
def entry_action(request, pk: int, action: str):
    entry = get_object_or_404(Entry, pk=pk)
    try:
        if action == "publish":
            services.qa_entry_publish(entry=entry, by=request.user)
            messages.success(request, "已审核发布。")
        elif action == "unpublish":
            services.qa_entry_unpublish(entry=entry, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "已撤回为草稿。")
        else:
            raise ValidationError("未知操作。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("workspace:qa_detail", pk)


@staff_required
def duplicates(request):
    return render(request, "workspace/qa/duplicates.html", {"pairs": selectors.qa_near_duplicates(limit=30)})


@staff_required
@require_POST
def merge(request):
    keep = get_object_or_404(Entry, pk=request.POST.get("keep") or 0)
    other = get_object_or_404(Entry, pk=request.POST.get("other") or 0)
    try:
        services.qa_entries_merge(keep=keep, other=other, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("workspace:qa_duplicates")
    messages.success(request, "已合并：被合并条目的问题成为其他问法，合并后的条目须重新审核。")
    return redirect("workspace:qa_detail", keep.pk)


@staff_required
@require_POST
def from_interpretation(request):
    interpretation = get_object_or_404(Interpretation, pk=request.POST.get("interpretation") or 0)
    try:
        made = services.qa_drafts_from_interpretation(interpretation=interpretation, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("workspace:qa_list")
    messages.success(request, f"已从解读《{interpretation.title}》生成 {len(made)} 条问答草稿。")
    return redirect(f"{reverse('workspace:qa_list')}?state=draft")


@staff_required
@require_POST
def from_message(request):
    """An answered citizen message (by its 查询码) becomes a draft: its subject the question, the official
    reply the answer. Only replied messages; the review gate's personal-data check applies before publication."""
    code = (request.POST.get("tracking_code") or "").strip().upper()
    message = Message.objects.filter(tracking_code=code, status__in=[Message.Status.REPLIED, Message.Status.PUBLISHED]).exclude(
        reply_text="").select_related("organisation").first()
    if message is None:
        messages.error(request, f"没有查询码为“{code}”的已答复留言。")
        return redirect("workspace:qa_list")
    try:
        entry = services.qa_draft_from_reply(question=message.subject, answer=message.reply_text,
                                             organisation=message.organisation, origin=f"message:{message.pk}", by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("workspace:qa_list")
    messages.success(request, "已将该留言的答复生成问答草稿，请补充政策依据后提交审核。")
    return redirect("workspace:qa_edit", entry.pk)
