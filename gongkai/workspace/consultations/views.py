"""Consultations and the decision catalogue in the back office: prepare and publish a draft for
comment, moderate and group opinions, enter offline opinions, answer each distinct opinion, publish the
adoption feedback; the overdue-feedback queue; the yearly 重大行政决策事项目录."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.consultations import selectors, services
from gongkai.consultations.models import Attachment, Consultation, DecisionItem, Opinion, OpinionGroup
from gongkai.core.models import AuditEvent
from gongkai.core.selectors import organisations_for_user

from ..access import staff_required
from ..forms import apply_service_error, error_text, find_document
from . import forms

PAGE_SIZE = 20


def _visible(request, pk: int) -> Consultation:
    return get_object_or_404(selectors.consultations_for_user(user=request.user).select_related(
        "organisation", "decision_item"), pk=pk)


def _running_organisations(user):
    return organisations_for_user(user=user, roles=selectors.CONSULTATION_ROLES)


def _catalogue_owners(user):
    return organisations_for_user(user=user, roles=selectors.CATALOGUE_ROLES)


@staff_required
def consultation_list(request):
    today = selectors.today_local()
    qs = selectors.consultations_for_user(user=request.user).select_related("organisation").annotate(
        n_opinions=Count("opinions"), n_pending=Count("opinions", filter=Q(opinions__state=Opinion.State.PENDING)))
    page = Paginator(qs.order_by("-starts_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, selectors.STATUS_LABELS[selectors.consultation_status(consultation=c, today=today)])
            for c in page.object_list]
    overdue = [(c, due, (today - due).days, (due - today).days) for c, due in selectors.feedback_overdue(
        organisations=organisations_for_user(user=request.user), today=today)]
    return render(request, "workspace/consultations/list.html", {
        "page": page, "rows": rows, "labels": selectors.STATUS_LABELS, "overdue": overdue, "today": today,
        "can_create": _running_organisations(request.user).exists(),
    })


def _form_kwargs(user):
    return {"organisations": _running_organisations(user),
            "items": DecisionItem.objects.exclude(state=DecisionItem.State.REMOVED).order_by("-year", "number")}


@staff_required
def consultation_create(request):
    form = forms.ConsultationForm(request.POST or None, **_form_kwargs(request.user),
                                  initial={"starts_on": selectors.today_local(), "channels": ["online"]})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            consultation = services.consultation_create(by=request.user, **data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已保存征求意见草稿，核对后请发布。")
            return redirect("workspace:consultation_detail", pk=consultation.pk)
    return render(request, "workspace/consultations/form.html", {"form": form, "consultation": None})


@staff_required
def consultation_edit(request, pk: int):
    consultation = _visible(request, pk)
    initial = {f: getattr(consultation, f) for f in ("organisation", "kind", "title", "decision_item", "draft_text",
                                                      "explanation", "channels", "contact", "starts_on", "ends_on",
                                                      "short_period_reason")}
    form = forms.ConsultationForm(request.POST or None, initial=initial, **_form_kwargs(request.user))
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("organisation")
        try:
            services.consultation_update(consultation=consultation, by=request.user, **data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "修改已保存。")
            return redirect("workspace:consultation_detail", pk=consultation.pk)
    return render(request, "workspace/consultations/form.html", {"form": form, "consultation": consultation})


@staff_required
def consultation_detail(request, pk: int):
    consultation = _visible(request, pk)
    today = selectors.today_local()
    status = selectors.consultation_status(consultation=consultation, today=today)
    may_run = selectors.user_may_run(user=request.user, organisation=consultation.organisation)
    pending = consultation.opinions.filter(state=Opinion.State.PENDING).select_related("article", "group")
    groups = (OpinionGroup.objects.filter(consultation=consultation)
              .annotate(live=Count("opinions", filter=~Q(opinions__state=Opinion.State.REJECTED)))
              .filter(live__gt=0).select_related("article").order_by("-size", "id"))
    group_page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    texts = selectors.group_texts(groups=list(group_page.object_list), published_only=False)
    for g in group_page.object_list:
        g.text = texts.get(g.pk, "")
    audit = AuditEvent.objects.filter(object_type=Consultation._meta.label_lower,
                                      object_id=str(consultation.pk)).order_by("-at", "-id")[:30]
    return render(request, "workspace/consultations/detail.html", {
        "consultation": consultation, "status": status, "status_label": selectors.STATUS_LABELS[status],
        "may_run": may_run, "counts": selectors.opinion_counts(consultation=consultation),
        "pending": pending[:PAGE_SIZE], "pending_total": pending.count(),
        "group_page": group_page,
        "unanswered": selectors.groups_needing_answer(consultation=consultation).count(),
        "summary": selectors.adoption_summary(consultation=consultation),
        "due_on": selectors.feedback_due_on(consultation=consultation),
        "late": selectors.feedback_late(consultation=consultation, today=today),
        "rule": selectors.period_rule(kind=consultation.kind),
        "hearings": consultation.hearings.all(), "articles": consultation.articles.all(),
        "audit": audit,
        "close_form": forms.ReasonForm(auto_id="close-%s"), "extend_form": forms.ExtendForm(auto_id="extend-%s"), "withdraw_form": forms.ReasonForm(auto_id="withdraw-%s"),
        "issued_form": forms.IssuedForm(auto_id="issued-%s"), "hearing_form": forms.HearingForm(auto_id="hearing-%s"),
        "offline_form": forms.OfflineOpinionForm(auto_id="offline-%s", articles=consultation.articles.all(),
                                                 initial={"received_on": today}),
        "moderate_form": forms.ModerateForm(), "answer_form": forms.AnswerForm(),
        "feedback_form": forms.FeedbackForm(auto_id="feedback-%s"),
        "minutes_form": forms.MinutesForm(auto_id="minutes-%s"),
        "attachments": consultation.attachments.all(), "attach_form": forms.AttachmentForm(auto_id="attach-%s"),
    })


def _run(request, consultation: Consultation, action: str) -> str:
    """Run one action through the service; returns the success message (raises the service's refusals)."""
    user, post = request.user, request.POST
    if action == "publish":
        services.consultation_publish(consultation=consultation, by=user)
        return "已发布征求意见。"
    if action in ("close", "withdraw"):
        form = forms.ReasonForm(post)
        if not form.is_valid():
            raise ValidationError("必须说明理由。")
        if action == "close":
            services.consultation_close(consultation=consultation, by=user, reason=form.cleaned_data["reason"])
            return "已提前结束征求意见。"
        services.consultation_withdraw(consultation=consultation, by=user, reason=form.cleaned_data["reason"])
        return "已撤回。"
    if action == "issued":
        form = forms.IssuedForm(post)
        if not form.is_valid():
            raise ValidationError("请填写印发日期。")
        ref = form.cleaned_data["document_ref"]
        document = find_document(user=user, reference=ref) if ref else None
        services.consultation_decision_issued(consultation=consultation, by=user,
                                              issued_on=form.cleaned_data["issued_on"], document=document)
        return "已记录印发日期。"
    if action == "hearing":
        form = forms.HearingForm(post)
        if not form.is_valid():
            raise ValidationError("请完整填写听证会时间、地点和参加人员产生方式。")
        services.hearing_announce(consultation=consultation, by=user, **form.cleaned_data)
        return "已公告听证会。"
    if action == "minutes":
        form = forms.MinutesForm(post)
        hearing = get_object_or_404(consultation.hearings, pk=post.get("hearing"))
        if not form.is_valid():
            raise ValidationError("请填写听证笔录。")
        services.hearing_minutes(hearing=hearing, by=user, minutes=form.cleaned_data["minutes"])
        return "已保存听证笔录。"
    if action == "extend":
        form = forms.ExtendForm(post)
        if not form.is_valid():
            raise ValidationError("请填写新的截止日期和延长理由。")
        services.consultation_extend(consultation=consultation, by=user, **form.cleaned_data)
        return f"已延长至 {form.cleaned_data['ends_on']:%Y-%m-%d}。"
    if action == "attach":
        form = forms.AttachmentForm(post, request.FILES)
        if not form.is_valid():
            raise ValidationError("请选择要上传的文件。")
        upload = form.cleaned_data["file"]
        attachment = services.consultation_attach(consultation=consultation, by=user, file=upload,
                                                  name=form.cleaned_data["name"],
                                                  content_type=upload.content_type or "application/octet-stream")
        if attachment.blocks_publication:
            return f"已上传“{attachment.name}”，但其中含个人信息：请删除或替换后再发布。"
        return f"已上传“{attachment.name}”。"
    if action == "detach":
        attachment = get_object_or_404(consultation.attachments, pk=post.get("attachment"))
        services.consultation_detach(attachment=attachment, by=user, reason=post.get("reason", ""))
        return "已删除附件。"
    if action == "offline":
        form = forms.OfflineOpinionForm(post, articles=consultation.articles.all())
        if not form.is_valid():
            raise ValidationError("请完整填写线下意见：" + "；".join(e for errs in form.errors.values() for e in errs))
        d = form.cleaned_data
        services.opinion_enter(consultation=consultation, by=user, body=d["body"], channel=d["channel"],
                               received_on=d["received_on"], article=d["article"] or None,
                               contact={"name": d["name"], "phone": d["phone"], "email": d["email"]})
        return "已录入线下意见。"
    if action == "feedback":
        form = forms.FeedbackForm(post)
        if not form.is_valid():
            raise ValidationError("请填写意见采纳情况说明。")
        services.feedback_publish(consultation=consultation, by=user, summary=form.cleaned_data["summary"])
        return "已公布意见采纳情况，留有联系方式的意见提出人将收到通知。"
    raise Http404


@staff_required
@require_POST
def consultation_action(request, pk: int, action: str):
    consultation = _visible(request, pk)
    try:
        messages.success(request, _run(request, consultation, action))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "操作未执行：" + error_text(exc))
    return redirect("workspace:consultation_detail", pk=consultation.pk)


@staff_required
def attachment_download(request, pk: int):
    """A consultation's attachment for its staff, also before publication."""
    attachment = get_object_or_404(Attachment.objects.filter(
        consultation__in=selectors.consultations_for_user(user=request.user)), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type or "application/octet-stream")


@staff_required
@require_POST
def opinion_moderate(request, pk: int):
    opinion = get_object_or_404(Opinion.objects.filter(
        consultation__in=selectors.consultations_for_user(user=request.user)).select_related("consultation"), pk=pk)
    form = forms.ModerateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择审核结果。")
        d = form.cleaned_data
        services.opinion_moderate(opinion=opinion, by=request.user, publish=d["decision"] == "publish",
                                  reason=d["reason"], public_body=d["public_body"])
        messages.success(request, "已审核。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, f"意见 {opinion.pk} 未审核：" + error_text(exc))
    return redirect("workspace:consultation_detail", pk=opinion.consultation_id)


def _group(request, pk: int) -> OpinionGroup:
    return get_object_or_404(OpinionGroup.objects.filter(
        consultation__in=selectors.consultations_for_user(user=request.user)).select_related("consultation"), pk=pk)


@staff_required
@require_POST
def group_moderate(request, pk: int):
    group = _group(request, pk)
    form = forms.ModerateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择审核结果。")
        n = services.opinion_moderate_group(group=group, by=request.user,
                                            publish=form.cleaned_data["decision"] == "publish",
                                            reason=form.cleaned_data["reason"])
        messages.success(request, f"已审核相同意见 {n} 条。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "未审核：" + error_text(exc))
    return redirect("workspace:consultation_detail", pk=group.consultation_id)


@staff_required
@require_POST
def group_answer(request, pk: int):
    group = _group(request, pk)
    form = forms.AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请选择采纳情况。")
        services.group_answer(group=group, by=request.user, **form.cleaned_data)
        messages.success(request, "已保存答复。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "答复未保存：" + error_text(exc))
    return redirect("workspace:consultation_detail", pk=group.consultation_id)


# --- The decision catalogue -----------------------------------------------------------------------------------

@staff_required
def decision_list(request):
    owners = organisations_for_user(user=request.user)
    years = sorted(set(DecisionItem.objects.filter(catalogue_owner__in=owners).values_list("year", flat=True)),
                   reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else selectors.today_local().year))
    except ValueError:
        year = selectors.today_local().year
    items = (DecisionItem.objects.filter(catalogue_owner__in=owners, year=year)
             .select_related("catalogue_owner", "owner_unit").order_by("catalogue_owner__path", "number"))
    return render(request, "workspace/consultations/decisions.html", {
        "items": items, "year": year, "years": years, "states": dict(DecisionItem.State.choices),
        "owners": _catalogue_owners(request.user),
    })


@staff_required
def decision_create(request):
    owners = _catalogue_owners(request.user)
    if not owners.exists():
        messages.error(request, "只有政务公开办（决策事项目录编制机关）管理员可以编制目录。")
        return redirect("workspace:decision_list")
    form = forms.DecisionItemForm(request.POST or None, owners=owners,
                                  initial={"year": selectors.today_local().year, "catalogue_owner": owners.first()})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.decision_item_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已加入决策事项目录。")
            return redirect("workspace:decision_detail", pk=item.pk)
    return render(request, "workspace/consultations/decision_form.html", {"form": form})


def _visible_item(request, pk: int) -> DecisionItem:
    owners = organisations_for_user(user=request.user)
    return get_object_or_404(DecisionItem.objects.filter(Q(catalogue_owner__in=owners) | Q(owner_unit__in=owners))
                             .select_related("catalogue_owner", "owner_unit"), pk=pk)


@staff_required
def decision_detail(request, pk: int):
    item = _visible_item(request, pk)
    return render(request, "workspace/consultations/decision_detail.html", {
        "item": item, "events": item.events.select_related("by"), "materials": item.materials.all(),
        "consultations": item.consultations.all(), "states": dict(DecisionItem.State.choices),
        "advance_form": forms.AdvanceForm(auto_id="advance-%s"), "material_form": forms.MaterialForm(auto_id="mat-%s"),
        "adjust_form": forms.DecisionItemForm(auto_id="adjust-%s", initial={
            "title": item.title, "owner_unit": item.owner_unit_id, "legal_basis": item.legal_basis,
            "planned_schedule": item.planned_schedule}),
    })


@staff_required
@require_POST
def decision_action(request, pk: int, action: str):
    item = _visible_item(request, pk)
    post = request.POST
    try:
        if action == "advance":
            form = forms.AdvanceForm(post)
            if not form.is_valid():
                raise ValidationError("请选择办理阶段。")
            services.decision_item_advance(item=item, by=request.user, **form.cleaned_data)
        elif action == "adjust":
            form = forms.DecisionItemForm(post)
            keep = ("title", "owner_unit", "legal_basis", "planned_schedule")
            form.is_valid()
            if any(k in form.errors for k in keep):
                raise ValidationError("请完整填写事项信息。")
            services.decision_item_adjust(item=item, by=request.user, reason=form.cleaned_data.get("reason", ""),
                                          **{k: form.cleaned_data[k] for k in keep})
        elif action == "material":
            form = forms.MaterialForm(post)
            if not form.is_valid():
                raise ValidationError("请填写材料类别和标题。")
            services.decision_material_add(item=item, by=request.user, **form.cleaned_data)
        elif action == "publish":
            n = services.decision_catalogue_publish(catalogue_owner=item.catalogue_owner, year=item.year,
                                                    by=request.user)
            messages.success(request, f"已公布 {item.year} 年度目录（{n} 项）。")
            return redirect("workspace:decision_list")
        else:
            raise Http404
        messages.success(request, "已保存。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "操作未执行：" + error_text(exc))
    return redirect("workspace:decision_detail", pk=item.pk)



