"""The public 政民互动 pages (issue 21): the boxes of every organisation, the message form with the Q&A
suggestion before sending, the tracking query with the rating, the published replies with search, and
我为政府网站找错 from any page. Contact data is never shown back; published texts are masked."""

from __future__ import annotations

import csv
import secrets
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.cache import never_cache

from gongkai.core.forms import form_add_service_errors
from gongkai.core.models import Organisation
from gongkai.documents.selectors import documents_public
from gongkai.interaction import conf, selectors, services
from gongkai.interaction.models import ErrorReport, Interview, InterviewPhoto, Mailbox, Message, Survey
from gongkai.search.snippets import snippet_html

from .. import formkeys
from ..views_applications import _client_address
from . import forms

PAGE_SIZE = 20
SESSION_DONE = "interaction_done"
SESSION_ACCESS = "interaction_access"
SESSION_REPORT = "interaction_report"
NAV = "hudong"


def _crumbs(*extra):
    return [("政民互动", reverse("portal:interaction_boxes")), *extra]


def box_list(request):
    groups: dict[Organisation, list[Mailbox]] = {}
    for box in selectors.boxes_public():
        groups.setdefault(box.organisation, []).append(box)
    recent = list(selectors.published_replies()[:5])
    return render(request, "portal/interaction/boxes.html", {
        "nav": NAV, "crumbs": [("政民互动", "")], "groups": groups, "recent": recent,
        "kinds": conf.BOX_KINDS,
    })


def _public_text(message: Message) -> tuple[str, str]:
    return services.mask_personal_data(message.text), services.mask_personal_data(message.reply_text)


def reply_list(request):
    q = (request.GET.get("q") or "").strip()[:100]
    organisation = Organisation.objects.filter(code=request.GET.get("org", "")).first() if request.GET.get("org") else None
    qs = selectors.published_replies(q=q, organisation=organisation)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    terms = selectors.query_terms(q)
    rows = []
    for m in page.object_list:
        text, reply = _public_text(m)
        rows.append({"m": m, "text": snippet_html(text, terms) if terms else text[:120],
                     "reply": snippet_html(reply, terms, length=80) if terms else reply[:80]})
    organisations = Organisation.objects.filter(pk__in=selectors.published_replies().values(
        "organisation_id")).order_by("path")
    return render(request, "portal/interaction/replies.html", {
        "nav": NAV, "crumbs": _crumbs(("答复公开", "")), "page_obj": page, "rows": rows, "q": q,
        "organisation": organisation, "organisations": organisations, "total": page.paginator.count,
    })


def reply_detail(request, pk: int):
    message = get_object_or_404(selectors.published_replies(), pk=pk)
    text, reply = _public_text(message)
    return render(request, "portal/interaction/reply.html", {
        "nav": NAV, "crumbs": _crumbs(("答复公开", reverse("portal:interaction_replies")), (message.subject, "")),
        "m": message, "text": text, "reply": reply,
    })


@never_cache
def box_form(request, slug: str):
    box = get_object_or_404(selectors.boxes_public(), slug=slug)
    status = 200
    suggestions = None
    if request.method == "POST":
        form = forms.MessageForm(request.POST, request.FILES)
        if request.POST.get("action") == "suggest":
            form.is_valid()
            form.errors.clear()  # only looking: nothing is checked or sent yet
            suggestions = selectors.suggestions_before_sending(subject=request.POST.get("subject", ""),
                                                               text=request.POST.get("text", ""))
        elif not formkeys.form_key_ours(request, request.POST.get("idempotency_key", "")):
            # Not this session's form (another browser, or the session ended): send nothing, show nothing
            # of an earlier message, keep what was typed and hand out a fresh key (issue 15.4's rule).
            data = request.POST.copy()
            data["idempotency_key"] = formkeys.form_key_issue(request)
            form = forms.MessageForm(data)
            form.is_valid()
            form.add_error(None, "表单已失效，请核对后重新提交。")
            status = 400
        elif form.is_valid():
            d = form.cleaned_data
            try:
                done = services.message_submit(
                    mailbox=box, subject=d["subject"], text=d["text"], consent_publish=d["consent_publish"],
                    contact={"name": d["name"], "phone": d["phone"], "email": d["email"]},
                    files=d["attachments"], client_address=_client_address(request),
                    idempotency_key=d["idempotency_key"])
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                form_add_service_errors(form, exc)
                status = 400
            else:
                if done.replayed:
                    # Sent before from this session (double click, Back + resubmit): nothing new is stored and
                    # the secret is not shown again; the message opens as it is.
                    if done.message.pk in request.session.get(SESSION_ACCESS, []):
                        return redirect(reverse("portal:interaction_track") + f"?m={done.message.pk}&again=1")
                    return redirect("portal:interaction_track")
                request.session[SESSION_DONE] = {"code": done.message.tracking_code, "secret": done.secret}
                _grant(request, done.message)
                return redirect("portal:interaction_done")
        else:
            status = 400
    else:
        form = forms.MessageForm(initial={"idempotency_key": formkeys.form_key_issue(request)})
    return render(request, "portal/interaction/form.html", {
        "nav": NAV, "crumbs": _crumbs((box.name, "")), "box": box, "form": form, "suggestions": suggestions,
        "reply_days": box.reply_days,
    }, status=status)


def _grant(request, message: Message) -> None:
    request.session[SESSION_ACCESS] = sorted({*request.session.get(SESSION_ACCESS, []), message.pk})[-20:]


@never_cache
def done(request):
    data = request.session.pop(SESSION_DONE, None)
    if not data:
        return redirect("portal:interaction_track")
    message = get_object_or_404(Message.objects.select_related("mailbox", "organisation"), tracking_code=data["code"])
    return render(request, "portal/interaction/done.html", {
        "nav": NAV, "crumbs": _crumbs(("留言已提交", "")), "m": message, "secret": data["secret"],
    })


@never_cache
def track(request):
    """The query page: code + secret (rate-limited) open the message for this browser session; the
    citizen sees the status, the due date with its explanation, the reply, and rates it."""
    form, rating_form, status = forms.TrackForm(), None, 200
    message = None
    if request.method == "POST" and request.POST.get("action") == "rate":
        message = Message.objects.filter(pk__in=request.session.get(SESSION_ACCESS, []),
                                         pk=request.POST.get("message")).first()
        if message is None:
            raise Http404
        rating_form = forms.RatingForm(request.POST)
        if rating_form.is_valid():
            try:
                message = services.message_act(message=message, type="rated", by=None,
                                               rating=rating_form.cleaned_data["rating"])
                if rating_form.cleaned_data["reopen"] and rating_form.cleaned_data["rating"] <= services.POOR_RATING:
                    message = services.message_act(message=message, type="reopened", by=None)
            except ValidationError as exc:
                form_add_service_errors(rating_form, exc)
                status = 400
            else:
                return redirect(reverse("portal:interaction_track") + f"?m={message.pk}&rated=1")
        else:
            status = 400
    elif request.method == "POST":
        form = forms.TrackForm(request.POST)
        if form.is_valid():
            try:
                message = services.message_by_secret(tracking_code=form.cleaned_data["tracking_code"],
                                                     secret=form.cleaned_data["secret"],
                                                     client_address=_client_address(request))
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            else:
                if message is None:
                    form.add_error(None, "查询码或查询密码不正确。")
                    status = 404
                else:
                    _grant(request, message)
                    return redirect(reverse("portal:interaction_track") + f"?m={message.pk}")
        else:
            status = 400
    elif request.GET.get("m", "").isdigit():
        message = Message.objects.filter(pk__in=request.session.get(SESSION_ACCESS, []), pk=request.GET["m"]).first()
    if message is not None:
        message = Message.objects.select_related("mailbox", "organisation").get(pk=message.pk)
    context = {"nav": NAV, "crumbs": _crumbs(("留言查询", "")), "form": form, "m": message,
               "rated": request.GET.get("rated") == "1", "again": message is not None and request.GET.get("again") == "1"}
    if message is not None:
        c = selectors.message_clock(message=message)
        types = [e.type for e in message.events.all()]
        since_reply = types[len(types) - types[::-1].index("replied"):] if "replied" in types else None
        context.update(clock=c, rating_form=rating_form or forms.RatingForm(), can_reopen=not message.reopened,
                       can_rate=since_reply is not None and "rated" not in since_reply)
    return render(request, "portal/interaction/track.html", context, status=status)


def page_document(page_url: str):
    """The published document a page of the portal shows, or None (a 找错 wording report becomes its finding)."""
    try:
        match = resolve(urlsplit(page_url).path or "/")
    except Resolver404:
        return None
    if match.url_name in {"document", "document_print"}:
        return documents_public().filter(index_no=match.kwargs.get("index_no", "")).select_related("organisation").first()
    return None


def page_owner(page_url: str) -> tuple[Organisation | None, str]:
    """The organisation a page of the portal belongs to (the 找错 routing), and the path as typed."""
    path = urlsplit(page_url).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        return None, path
    kwargs, name = match.kwargs, match.url_name or ""
    if name in {"document", "document_print"}:
        document = documents_public().filter(index_no=kwargs.get("index_no", "")).select_related("organisation").first()
        return (document.organisation if document else None), path
    if "code" in kwargs:
        return Organisation.objects.filter(code=kwargs["code"]).first(), path
    if name == "interaction_box":
        box = Mailbox.objects.filter(slug=kwargs.get("slug")).select_related("organisation").first()
        return (box.organisation if box else None), path
    return None, path


@never_cache
def error_report(request):
    status = 200
    if request.method == "POST":
        form = forms.ErrorReportForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            owner, _path = page_owner(d["page_url"])
            contact = d["phone"]
            try:
                report = services.error_report_submit(
                    kind=d["kind"], page_url=d["page_url"], description=d["description"], page_owner=owner,
                    page_document=page_document(d["page_url"]),
                    contact={"name": d["name"], ("email" if "@" in contact else "phone"): contact},
                    client_address=_client_address(request))
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                form_add_service_errors(form, exc)
                status = 400
            else:
                request.session[SESSION_REPORT] = report.tracking_code
                return redirect("portal:error_report_done")
        else:
            status = 400
    else:
        page = request.GET.get("page") or request.META.get("HTTP_REFERER", "")
        form = forms.ErrorReportForm(initial={"page_url": urlsplit(page).path if page else ""})
    return render(request, "portal/interaction/error_report.html", {
        "nav": "", "crumbs": [("我为政府网站找错", "")], "form": form,
        "forward_days": conf.ERROR_REPORT_FORWARD_DAYS, "reply_days": conf.ERROR_REPORT_REPLY_DAYS,
    }, status=status)


@never_cache
def error_report_done(request):
    code = request.session.pop(SESSION_REPORT, None)
    if not code:
        return redirect("portal:error_report")
    report = get_object_or_404(ErrorReport, tracking_code=code)
    return render(request, "portal/interaction/error_report_done.html", {
        "nav": "", "crumbs": [("我为政府网站找错", reverse("portal:error_report")), ("已提交", "")], "report": report,
        "back": report.page_url if report.page_url.startswith("/") and not report.page_url.startswith("//") else "",
    })


def interview_list(request):
    rows = [(i, selectors.interview_status(interview=i)) for i in selectors.interviews_public()[:100]]
    return render(request, "portal/interaction/interviews.html", {
        "nav": NAV, "crumbs": _crumbs(("在线访谈", "")), "rows": rows, "labels": selectors.INTERVIEW_STATUS,
    })


@never_cache
def interview_detail(request, pk: int):
    interview = get_object_or_404(Interview.objects.select_related("organisation"), pk=pk)
    status = selectors.interview_status(interview=interview)
    code = 200
    form = forms.QuestionForm()
    if request.method == "POST":
        form = forms.QuestionForm(request.POST)
        if form.is_valid():
            try:
                services.interview_question_submit(interview=interview, client_address=_client_address(request),
                                                   **form.cleaned_data)
            except services.RateLimited as exc:
                form.add_error(None, exc.message)
                code = 429
            except ValidationError as exc:
                form_add_service_errors(form, exc)
                code = 400
            else:
                return redirect(reverse("portal:interview", args=[pk]) + "?asked=1#ask")
        else:
            code = 400
    return render(request, "portal/interaction/interview.html", {
        "nav": NAV, "crumbs": _crumbs(("在线访谈", reverse("portal:interview_list")), (interview.title, "")),
        "i": interview, "status": status, "label": selectors.INTERVIEW_STATUS[status], "form": form,
        "questions": interview.questions.filter(state="approved"), "asked": request.GET.get("asked") == "1",
        "turns": interview.turns.all() if status == "archived" else [], "photos": interview.photos.all(),
    }, status=code)


def interview_photo(request, pk: int, photo_pk: int):
    """A photo of an interview, served by the platform (no CDN) under its content type; nosniff."""
    photo = get_object_or_404(InterviewPhoto, pk=photo_pk, interview_id=pk)
    try:
        handle = photo.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


SURVEY_COOKIE = "gk_survey"


def survey_list(request):
    rows = [(sv, selectors.SURVEY_STATUS[selectors.survey_status(survey=sv)]) for sv in selectors.surveys_public()[:100]]
    return render(request, "portal/interaction/surveys.html", {
        "nav": NAV, "crumbs": _crumbs(("网上调查", "")), "rows": rows})


def _survey_public(pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("organisation"), pk=pk)


@never_cache
def survey_detail(request, pk: int):
    """The questionnaire while open (one answer sheet per browser: a random token in a cookie, no identity);
    the results as a chart once closed, where the body publishes them."""
    survey = _survey_public(pk)
    status = selectors.survey_status(survey=survey)
    token = request.COOKIES.get(SURVEY_COOKIE) or secrets.token_urlsafe(24)
    errors, message, code, answered = {}, "", 200, request.GET.get("done") == "1"
    questions = list(survey.questions.all())
    if request.method == "POST":
        answers = {str(q.pk): (request.POST.getlist(f"q{q.pk}") if q.kind == "multiple" else request.POST.get(f"q{q.pk}", ""))
                   for q in questions}
        try:
            services.survey_respond(survey=survey, token=request.COOKIES.get(SURVEY_COOKIE, ""), answers=answers,
                                    client_address=_client_address(request))
        except services.AlreadyAnswered as exc:
            message, code, answered = exc.messages[0], 409, True
        except services.RateLimited as exc:
            message, code = exc.message, 429
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: v[0].messages[0] for k, v in exc.error_dict.items()}
                message = "有题目未回答，请补充。"
            else:
                message = exc.messages[0]
            code = 400
        else:
            return redirect(reverse("portal:survey", args=[pk]) + "?done=1")
    for q in questions:
        q.error = errors.get(f"q{q.pk}", "")
    show_results = status == "closed" and survey.results_public
    response = render(request, "portal/interaction/survey.html", {
        "nav": NAV, "crumbs": _crumbs(("网上调查", reverse("portal:survey_list")), (survey.title, "")),
        "s": survey, "status": status, "label": selectors.SURVEY_STATUS[status], "questions": questions,
        "errors": errors, "message": message, "answered": answered, "posted": request.POST,
        "results": selectors.survey_results(survey=survey) if show_results else None,
    }, status=code)
    if SURVEY_COOKIE not in request.COOKIES:
        response.set_cookie(SURVEY_COOKIE, token, max_age=365 * 86400, httponly=True, samesite="Lax",
                            secure=request.is_secure())
    return response


def survey_csv(request, pk: int):
    survey = _survey_public(pk)
    if not (selectors.survey_status(survey=survey) == "closed" and survey.results_public):
        raise Http404
    results = selectors.survey_results(survey=survey)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    writer = csv.writer(response)
    writer.writerow(["题号", "问题", "选项", "人数", "占答卷比例"])
    for row in results["rows"]:
        q = row["question"]
        if q.kind == "text":
            writer.writerow([q.position, q.text, f"（填空题，共 {row['text_answers']} 条回答，内容不公开）", "", ""])
        for o in row["options"]:
            writer.writerow([q.position, q.text, o["label"], o["count"], f"{o['share']:.1%}"])
    writer.writerow(["", "答卷总数", "", results["sheets"], ""])
    return response
