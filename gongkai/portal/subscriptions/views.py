"""政策订阅: sign up with an e-mail address (no password, no real name), profiles, subscriptions, one-click
unsubscribe, "not relevant", Atom feeds per subscription and for a profile without an account.

The signed-in subscriber is kept in the session (`subscriber_id`) after opening a verification or sign-in
link. The address is shown only on the account page, to its owner."""

from __future__ import annotations

import json

from django import forms
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.core.forms import form_add_service_errors
from gongkai.core.models import Organisation
from gongkai.core.ratelimit import RateLimited, rate_limit_check
from gongkai.documents.models import Document, Topic
from gongkai.subscriptions import conf, selectors, services
from gongkai.subscriptions.models import Profile, Subscriber, Subscription

from ..feeds import CleanAtom1Feed
from ..views_applications import _client_address

SESSION_KEY = "subscriber_id"
SENT_TEXT = ("如果该邮箱可以接收邮件，我们已发送一封邮件，请在邮件中打开链接继续。"
             "没有收到？请检查垃圾邮件箱；10 分钟内同一邮箱不会重复发送。")


class SignupForm(forms.Form):
    email = forms.EmailField(label="电子邮箱", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
                             help_text="只用于发送订阅邮件，加密保存，不会公开。")
    phone = forms.CharField(label="手机号码（选填）", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    frequency = forms.ChoiceField(label="推送频率", choices=Subscriber.Frequency.choices,
                                  initial=Subscriber.Frequency.DAILY)
    consent = forms.BooleanField(label="我已阅读并同意上面的个人信息处理说明", required=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(forms.Form):
    email = forms.EmailField(label="电子邮箱", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "login")
        super().__init__(*args, **kwargs)


class SettingsForm(forms.Form):
    frequency = forms.ChoiceField(label="推送频率", choices=Subscriber.Frequency.choices)
    phone = forms.CharField(label="手机号码（选填）", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _choices(dimension: str) -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in conf.tags_of(dimension)]


class ProfileForm(forms.Form):
    name = forms.CharField(label="画像名称", max_length=60, required=False,
                           help_text="如“我”“父母”“我的小店”。请不要填写姓名等实名信息。")
    region = forms.ModelChoiceField(label="所在地区（选填）", queryset=Organisation.objects.none(), required=False,
                                    empty_label="不限地区")

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["region"].queryset = selectors.regions()
        dimensions = conf.PERSON_DIMENSIONS if kind == Profile.Kind.PERSON else conf.ENTERPRISE_DIMENSIONS
        for dimension in dimensions:
            self.fields[dimension] = forms.MultipleChoiceField(
                label=conf.DIMENSIONS[dimension], choices=_choices(dimension), required=False,
                widget=forms.CheckboxSelectMultiple)
        self.dimensions = dimensions

    def tags(self) -> list[str]:
        return [key for d in self.dimensions for key in self.cleaned_data.get(d, [])]


def current_subscriber(request) -> Subscriber | None:
    pk = request.session.get(SESSION_KEY)
    return Subscriber.objects.filter(pk=pk).first() if pk else None


def _sign_in(request, subscriber: Subscriber) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = subscriber.pk


def _crumbs(*extra):
    return [("政策订阅", reverse("portal:subscriptions_home")), *extra]


def home(request):
    """The landing page: what it is, the sign-up form and the sign-in form (answers are always the same)."""
    subscriber = current_subscriber(request)
    signup, login, sent = SignupForm(), LoginForm(), False
    if request.method == "POST":
        if "login-email" in request.POST:
            login = LoginForm(request.POST)
            if login.is_valid():
                try:
                    services.subscriber_login_request(email=login.cleaned_data["email"],
                                                      client_address=_client_address(request))
                    sent = True
                except RateLimited as exc:
                    login.add_error(None, exc.message)
                except ValidationError as exc:
                    form_add_service_errors(login, exc)
        else:
            signup = SignupForm(request.POST)
            if signup.is_valid():
                try:
                    services.subscriber_signup(client_address=_client_address(request), **signup.cleaned_data)
                    sent = True
                except RateLimited as exc:
                    signup.add_error(None, exc.message)
                except ValidationError as exc:
                    form_add_service_errors(signup, exc)
        if sent:
            return redirect(reverse("portal:subscriptions_home") + "?sent=1")
    return render(request, "portal/subscriptions/home.html", {
        "nav": "dingyue", "crumbs": [("政策订阅", "")], "signup": signup, "login": login,
        "sent": request.GET.get("sent") == "1", "sent_text": SENT_TEXT, "consent_text": conf.CONSENT_TEXT,
        "subscriber": subscriber, "person_stages": _choices("stage"), "enterprise_stages": _choices("estage"),
        "industries": _choices("industry"),
    })


def verify(request, token):
    try:
        subscriber = services.subscriber_verify(token=token)
    except ValidationError as exc:
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("验证邮箱", "")), "title": "验证未成功", "text": exc.messages[0]},
            status=400)
    _sign_in(request, subscriber)
    return redirect(reverse("portal:subscriptions_account") + "?welcome=1")


def login_link(request, token):
    """A one-time sign-in link: GET shows one button (a mail scanner opening the link must not use it up),
    the POST signs in and uses the link."""
    if request.method != "POST":
        try:
            services.link_read(token=token, action="login")
        except ValidationError as exc:
            return render(request, "portal/subscriptions/message.html", {
                "nav": "dingyue", "crumbs": _crumbs(("登录", "")), "title": "登录未成功", "text": exc.messages[0]},
                status=400)
        return render(request, "portal/subscriptions/confirm.html", {
            "nav": "dingyue", "crumbs": _crumbs(("登录", "")), "title": "登录“我的订阅”",
            "text": "点击下面的按钮登录。这个链接只能使用一次。", "button": "登录"})
    try:
        subscriber = services.subscriber_login(token=token)
    except ValidationError as exc:
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("登录", "")), "title": "登录未成功", "text": exc.messages[0]},
            status=400)
    _sign_in(request, subscriber)
    return redirect("portal:subscriptions_account")


def manage_link(request, token):
    """The "manage" link of a push e-mail: asks for a one-time sign-in link sent to the subscriber's own
    address (push mail is forwarded: the link itself opens no account)."""
    def message(title, text, status=200):
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("管理订阅", "")), "title": title, "text": text}, status=status)

    if request.method != "POST":
        try:
            services.link_read(token=token, action="manage")
        except ValidationError as exc:
            return message("链接无效", f"{exc.messages[0]}可以在政策订阅页面用邮箱获取登录链接。", 400)
        return render(request, "portal/subscriptions/confirm.html", {
            "nav": "dingyue", "crumbs": _crumbs(("管理订阅", "")), "title": "管理订阅",
            "text": "为保护您的数据，推送邮件中的链接不能直接登录（邮件可能被转发）。点击下面的按钮，"
                    "我们会向您订阅时填写的邮箱发送一个一次性登录链接。", "button": "发送登录链接到我的邮箱"})
    try:
        services.subscriber_manage_request(token=token)
    except ValidationError as exc:
        return message("链接无效", f"{exc.messages[0]}可以在政策订阅页面用邮箱获取登录链接。", 400)
    return message("已发送", SENT_TEXT)


@require_POST
def logout(request):
    request.session.pop(SESSION_KEY, None)
    return redirect("portal:subscriptions_home")


def _login_redirect(request):
    return redirect(reverse("portal:subscriptions_home") + "#login")


def account(request):
    subscriber = current_subscriber(request)
    if subscriber is None:
        return _login_redirect(request)
    form = SettingsForm(initial={"frequency": subscriber.frequency, "phone": subscriber.contact.get("phone", "")})
    saved = False
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.subscriber_update(subscriber=subscriber, **form.cleaned_data)
                saved = True
            except ValidationError as exc:
                form_add_service_errors(form, exc)
    subscriptions = list(selectors.account_subscriptions(subscriber))
    return render(request, "portal/subscriptions/account.html", {
        "nav": "dingyue", "crumbs": _crumbs(("我的订阅", "")), "subscriber": subscriber, "form": form, "saved": saved,
        "subscriptions": subscriptions, "welcome": request.GET.get("welcome") == "1",
        "pushes": subscriber.pushes.select_related("subscription")[:20],
        "profiles": [(p, [conf.tag_label(t) for t in p.tags]) for p in subscriber.profiles.select_related("region")],
    })


def profile_edit(request, pk: int | None = None):
    subscriber = current_subscriber(request)
    if subscriber is None:
        return _login_redirect(request)
    profile = get_object_or_404(Profile, pk=pk, subscriber=subscriber) if pk else None
    kind = profile.kind if profile else request.GET.get("kind", request.POST.get("kind", Profile.Kind.PERSON))
    if kind not in Profile.Kind.values:
        kind = Profile.Kind.PERSON
    initial = {}
    if profile:
        initial = {"name": profile.name, "region": profile.region_id}
        for key in profile.tags:
            initial.setdefault(key.partition(":")[0], []).append(key)
    form = ProfileForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(subscriber=subscriber, kind=kind, name=form.cleaned_data["name"], tags=form.tags(),
                                  region=form.cleaned_data["region"], profile=profile)
            return redirect("portal:subscriptions_account")
        except ValidationError as exc:
            form_add_service_errors(form, exc)
    return render(request, "portal/subscriptions/profile.html", {
        "nav": "dingyue", "crumbs": _crumbs(("我的订阅", reverse("portal:subscriptions_account")), ("画像", "")),
        "form": form, "kind": kind, "profile": profile, "kinds": Profile.Kind.choices,
        "dimension_fields": [form[d] for d in form.dimensions],
    })


ADD_PARAMS = ("kind", *services.SEARCH_KEYS, "code", "index_no", "pk", "name")


def subscription_add(request):
    """Subscribe from another page: a search (its query and filters), a topic, a column, a document, a
    consultation, a dataset. Public pages link here with GET (they are cached and carry no form); this page
    asks to confirm and POSTs. Without an account the visitor is sent to sign up first."""
    subscriber = current_subscriber(request)
    if subscriber is None:
        return redirect(reverse("portal:subscriptions_home") + "?need=1")
    if request.method != "POST":
        params = [(k, request.GET[k]) for k in ADD_PARAMS if request.GET.get(k)]
        kind = request.GET.get("kind", "")
        what = {"search": "检索条件", "topic": "主题分类", "column": "机关专栏", "document": "文件动态",
                "consultation": "意见征集反馈", "dataset": "数据集更新"}.get(kind)
        if what is None:
            raise Http404("订阅类型无效")
        names = {"q": "检索词", "issuer": "发文机关", "topic": "主题分类", "genre": "文种", "validity": "有效性",
                 "year": "年份", "code": "代码", "index_no": "索引号", "pk": "编号", "name": "标识"}
        described = [f"{names[k]}：{v}" for k, v in params if k != "kind"]
        return render(request, "portal/subscriptions/add.html", {
            "nav": "dingyue", "crumbs": _crumbs(("添加订阅", "")), "params": params, "what": what,
            "described": described})
    kind = request.POST.get("kind", "")
    kwargs: dict = {}
    try:
        if kind == Subscription.Kind.SEARCH:
            kwargs["query"] = {k: request.POST.get(k, "") for k in services.SEARCH_KEYS}
        elif kind == Subscription.Kind.TOPIC:
            kwargs["topic"] = Topic.objects.filter(code=request.POST.get("code", "")).first()
        elif kind == Subscription.Kind.COLUMN:
            kwargs["organisation"] = Organisation.objects.filter(code=request.POST.get("code", ""), is_active=True).first()
        elif kind == Subscription.Kind.DOCUMENT:
            kwargs["document"] = Document.objects.filter(index_no=request.POST.get("index_no", "")).first()
        elif kind == Subscription.Kind.CONSULTATION:
            from gongkai.consultations.selectors import consultations_public  # noqa: PLC0415 — only this branch
            kwargs["consultation"] = consultations_public().filter(pk=_int(request.POST.get("pk"))).first()
        elif kind == Subscription.Kind.DATASET:
            from gongkai.opendata.selectors import datasets_public  # noqa: PLC0415 — only this branch
            kwargs["dataset"] = datasets_public().filter(name=request.POST.get("name", "")).first()
        services.subscription_create(subscriber=subscriber, kind=kind, **kwargs)
    except ValidationError as exc:
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("添加订阅", "")), "title": "未能订阅", "text": exc.messages[0]},
            status=400)
    return redirect(reverse("portal:subscriptions_account") + "#subscriptions")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@require_POST
def subscription_remove(request, pk: int):
    subscriber = current_subscriber(request)
    if subscriber is None:
        return _login_redirect(request)
    subscription = get_object_or_404(Subscription, pk=pk, subscriber=subscriber)
    services.subscription_delete(subscriber=subscriber, subscription=subscription)
    return redirect(reverse("portal:subscriptions_account") + "#subscriptions")


def export(request):
    subscriber = current_subscriber(request)
    if subscriber is None:
        return _login_redirect(request)
    response = HttpResponse(json.dumps(selectors.account_export(subscriber), ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-subscriptions.json"'
    response["Cache-Control"] = "no-store"
    return response


def delete_account(request):
    subscriber = current_subscriber(request)
    if subscriber is None:
        return _login_redirect(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.subscriber_delete(subscriber=subscriber)
        request.session.flush()
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("删除账户", "")), "title": "已删除",
            "text": "您的电子邮箱、画像、订阅和推送记录已全部删除。"})
    return render(request, "portal/subscriptions/delete.html", {
        "nav": "dingyue", "crumbs": _crumbs(("我的订阅", reverse("portal:subscriptions_account")), ("删除账户", ""))})


@csrf_exempt  # the signed token is the authority; RFC 8058 one-click POSTs come from mail providers
def unsubscribe(request, token):
    """GET shows one button (link scanners must not unsubscribe anyone); POST unsubscribes, no login needed.
    A POST with `List-Unsubscribe=One-Click` (RFC 8058) is the mail client's one click."""
    if request.method == "POST":
        try:
            _subscriber, text_ = services.unsubscribe(token=token)
        except ValidationError as exc:
            return render(request, "portal/subscriptions/message.html", {
                "nav": "dingyue", "crumbs": _crumbs(("退订", "")), "title": "退订未成功", "text": exc.messages[0]},
                status=400)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("OK", content_type="text/plain; charset=utf-8")
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("退订", "")), "title": "退订成功", "text": text_})
    try:
        services.link_read(token=token, action="unsubscribe")
    except ValidationError as exc:
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("退订", "")), "title": "链接无效", "text": exc.messages[0]}, status=400)
    return render(request, "portal/subscriptions/confirm.html", {
        "nav": "dingyue", "crumbs": _crumbs(("退订", "")), "title": "退订推送邮件",
        "text": "点击下面的按钮即退订，无需登录。", "button": "确认退订"})


def not_relevant(request, token):
    if request.method == "POST":
        try:
            rate_limit_check(scope="subscriptions:not-relevant", key=_client_address(request),
                             limit=conf.NOT_RELEVANT_LIMIT_PER_ADDRESS)
            push = services.push_not_relevant(token=token)
        except (ValidationError, RateLimited) as exc:
            text_ = exc.messages[0] if isinstance(exc, ValidationError) else exc.message
            return render(request, "portal/subscriptions/message.html", {
                "nav": "dingyue", "crumbs": _crumbs(("反馈", "")), "title": "未能记录", "text": text_}, status=400)
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("反馈", "")), "title": "谢谢您的反馈",
            "text": f"已记录：《{push.title}》与您无关。我们用这些反馈改进推送。" if push else "该推送已不存在。"})
    try:
        services.link_read(token=token, action="not_relevant")
    except ValidationError as exc:
        return render(request, "portal/subscriptions/message.html", {
            "nav": "dingyue", "crumbs": _crumbs(("反馈", "")), "title": "链接无效", "text": exc.messages[0]}, status=400)
    return render(request, "portal/subscriptions/confirm.html", {
        "nav": "dingyue", "crumbs": _crumbs(("反馈", "")), "title": "这条推送与您无关？",
        "text": "告诉我们这条推送不相关，我们会用它改进匹配。", "button": "不相关"})


class SubscriptionFeed(Feed):
    """The pushes of one subscription as Atom; the unguessable token in the address is the only key."""

    feed_type = CleanAtom1Feed

    def get_object(self, request, token):
        subscription = selectors.subscription_by_feed_token(token)
        if subscription is None:
            raise Http404("订阅源不存在")
        return subscription

    def title(self, obj):
        return f"政策订阅 · {obj.label}"

    def link(self, obj):
        return reverse("portal:subscriptions_home")

    def subtitle(self, obj):
        return "按您的订阅条件推送的政策动态"

    def items(self, obj):
        return selectors.subscription_feed_items(obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.reason

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return f"{item.url}#{item.item_key}"

    def item_pubdate(self, item):
        return item.created_at


class ProfileFeed(Feed):
    """A profile's feed without an account: ?kind=person&tag=stage:就业&tag=group:高校毕业生&region=<机构代码>."""

    feed_type = CleanAtom1Feed

    def get_object(self, request):
        kind = request.GET.get("kind", Profile.Kind.PERSON)
        if kind not in Profile.Kind.values:
            raise Http404("画像类型无效")
        dimensions = conf.PERSON_DIMENSIONS if kind == Profile.Kind.PERSON else conf.ENTERPRISE_DIMENSIONS
        tags = [t for t in request.GET.getlist("tag") if t in conf.TAG_BY_KEY
                and conf.TAG_BY_KEY[t].dimension in dimensions][:20]
        if not tags:
            raise Http404("请至少选择一个画像标签")
        region = selectors.regions().filter(code=request.GET.get("region", "")).first()
        return {"kind": kind, "tags": tags, "region": region}

    def title(self, obj):
        return "政策订阅 · " + " · ".join(conf.tag_label(t) for t in obj["tags"])

    def link(self, obj):
        return reverse("portal:subscriptions_home")

    def subtitle(self, obj):
        return "与这个画像相关的最新政策文件"

    def items(self, obj):
        return selectors.profile_feed_documents(kind=obj["kind"], tags=obj["tags"], region=obj["region"])

    def item_title(self, item):
        return item[0].title

    def item_description(self, item):
        return item[1]

    def item_link(self, item):
        return reverse("portal:document", kwargs={"index_no": item[0].index_no})

    def item_pubdate(self, item):
        return item[0].published_at

