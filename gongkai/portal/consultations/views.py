"""The 意见征集 column: open, closed and answered consultations, the consultation page with the draft
article by article, the comment form and the adoption feedback; the decision catalogue per year; the
Atom feed of new consultations. Commenters' contact data is never shown back."""

from __future__ import annotations

from django import forms
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from gongkai.consultations import conf, selectors, services
from gongkai.consultations.models import Consultation
from gongkai.core.forms import form_add_service_errors
from gongkai.core.models import Organisation

from ..views_applications import _client_address

PAGE_SIZE = 20
STATUS_TABS = [("open", "正在征集"), ("closed", "已结束"), ("outcome", "已反馈")]


class CommentForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput)
    article = forms.ChoiceField(label="意见针对", required=False)
    body = forms.CharField(label="您的意见", widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=conf.OPINION_MAX_CHARS,
                           help_text=f"不超过 {conf.OPINION_MAX_CHARS} 字。意见经审核后公开，请勿在意见中填写个人信息。")
    name = forms.CharField(label="姓名或称呼（选填，不公开）", required=False, max_length=64)
    phone = forms.CharField(label="手机号码（选填，不公开）", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(label="电子邮箱（选填，不公开）", required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                            help_text="留下手机号码或电子邮箱的，采纳情况公布后我们会通知您。")

    def __init__(self, *args, articles=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "草案整体")] + [(str(a.pk), a.label) for a in articles]
        self.fields["body"].widget.attrs["maxlength"] = str(conf.OPINION_MAX_CHARS)


def _crumbs(*extra):
    return [("意见征集", reverse("portal:consultation_list")), *extra]


def consultation_list(request):
    status = request.GET.get("status", "")
    if status not in dict(STATUS_TABS):
        status = ""
    organisation = None
    if request.GET.get("org"):
        organisation = Organisation.objects.filter(code=request.GET["org"]).first()
    try:
        year = int(request.GET.get("year", "") or 0) or None
    except ValueError:
        year = None
    today = selectors.today_local()
    qs = selectors.consultations_public(status=status, organisation=organisation, year=year, today=today)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, selectors.consultation_status(consultation=c, today=today)) for c in page.object_list]
    rows = [(c, s, selectors.STATUS_LABELS[s], selectors.consultation_days_left(consultation=c, today=today))
            for c, s in rows]
    organisations = Organisation.objects.filter(
        consultations__state=Consultation.State.PUBLISHED).distinct().order_by("path")
    return render(request, "portal/consultations/list.html", {
        "nav": "yijian", "crumbs": [("意见征集", "")], "page_obj": page, "rows": rows, "status": status,
        "tabs": STATUS_TABS, "organisations": organisations, "organisation": organisation, "year": year,
        "years": selectors.consultation_public_years(), "catalogues": selectors.decision_catalogues_public(),
    })


def _page(request, consultation: Consultation, form: CommentForm, status_code: int = 200):
    today = selectors.today_local()
    status = selectors.consultation_status(consultation=consultation, today=today)
    groups = selectors.published_groups(consultation=consultation)
    group_page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    firsts = selectors.group_texts(groups=list(group_page.object_list))
    counts = selectors.published_counts(groups=list(group_page.object_list))
    for g in group_page.object_list:
        g.text = firsts.get(g.pk, "")
        g.published = counts.get(g.pk, 0)
    context = {
        "nav": "yijian", "crumbs": _crumbs((consultation.title, "")), "consultation": consultation,
        "status": status, "status_label": selectors.STATUS_LABELS[status],
        "days_left": selectors.consultation_days_left(consultation=consultation, today=today),
        "rule": selectors.period_rule(kind=consultation.kind),
        "articles": consultation.articles.all(), "hearings": consultation.hearings.all(),
        "attachments": consultation.attachments.all(),
        "counts": selectors.opinion_counts(consultation=consultation), "group_page": group_page, "page_obj": group_page,
        "form": form, "accepting": status == "open" and "online" in consultation.channels,
        "channels": [label for value, label in services.CHANNELS.items() if value in consultation.channels],
        "submitted": request.GET.get("submitted") == "1",
    }
    if status == "outcome":
        context["summary"] = selectors.adoption_summary(consultation=consultation)
    return render(request, "portal/consultations/detail.html", context, status=status_code)


def _public(pk: int) -> Consultation:
    consultation = get_object_or_404(Consultation.objects.select_related("organisation", "decision_item", "document"),
                                     pk=pk)
    if consultation.state == Consultation.State.DRAFT:
        raise Http404
    return consultation


def consultation_detail(request, pk: int):
    consultation = _public(pk)
    articles = consultation.articles.all()
    status_code = 200
    if request.method == "POST":
        form = CommentForm(request.POST, articles=articles)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.opinion_submit(
                    consultation=consultation, body=d["body"], idempotency_key=d["idempotency_key"],
                    client_address=_client_address(request), article=d["article"] or None,
                    contact={"name": d["name"], "phone": d["phone"], "email": d["email"]},
                )
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status_code = 429
            except ValidationError as exc:
                form_add_service_errors(form, exc)
                status_code = 400
            else:
                return redirect(reverse("portal:consultation", args=[consultation.pk]) + "?submitted=1#comment")
        else:
            status_code = 400
    else:
        initial = {"idempotency_key": services.idempotency_key_new()}
        if request.GET.get("article", "").isdigit():
            initial["article"] = request.GET["article"]
        form = CommentForm(initial=initial, articles=articles)
    return _page(request, consultation, form, status_code)


def attachment(request, token: str):
    item = selectors.attachment_public(token=token)
    if item is None:
        raise Http404("附件不存在或未公开")
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name,
                            content_type=item.content_type or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


def decision_catalogue(request, code: str, year: int):
    owner = get_object_or_404(Organisation, code=code)
    items = list(selectors.decision_catalogue(catalogue_owner=owner, year=year).prefetch_related(
        "materials", "consultations"))
    if not items:
        raise Http404
    return render(request, "portal/consultations/decisions.html", {
        "nav": "yijian", "crumbs": _crumbs((f"{owner.name}{year}年度重大行政决策事项目录", "")),
        "owner": owner, "year": year, "items": items,
    })


class ConsultationsFeed(Feed):
    feed_type = Atom1Feed
    title = "意见征集 · 新发布的征求意见"
    subtitle = "向社会公开征求意见的草案"

    def link(self):
        return reverse("portal:consultation_list")

    def items(self):
        return selectors.consultations_public().order_by("-published_at", "-id")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return (f"{item.organisation.name}；{item.get_kind_display()}；征求意见期限："
                f"{item.starts_on:%Y-%m-%d} 至 {item.last_day:%Y-%m-%d}")

    def item_link(self, item):
        return reverse("portal:consultation", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.organisation.name
