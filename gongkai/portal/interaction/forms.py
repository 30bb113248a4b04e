"""Forms of the public 政民互动 pages: a message, the tracking query, a rating, a 找错 report."""

from __future__ import annotations

from django import forms

from gongkai.interaction import conf


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class MessageForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput)  # portal/formkeys.py: bound to the session
    subject = forms.CharField(label="留言主题", max_length=conf.SUBJECT_MAX_CHARS,
                              help_text=f"一句话说明您的问题，不超过 {conf.SUBJECT_MAX_CHARS} 字。")
    text = forms.CharField(label="留言内容", max_length=conf.TEXT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=f"不超过 {conf.TEXT_MAX_CHARS} 字。请写明时间、地点和具体事项；不要在内容中填写身份证号、手机号。")
    attachments = MultipleFileField(
        label="附件（选填）", required=False,
        help_text=f"最多 {conf.ATTACHMENT_MAX_FILES} 个，每个不超过 {conf.ATTACHMENT_MAX_MB} MB，"
                  f"类型：{'、'.join(conf.ATTACHMENT_EXTENSIONS)}。附件不公开。")
    name = forms.CharField(label="姓名或称呼（选填）", required=False, max_length=64,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label="手机号码（选填）", required=False, max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.CharField(label="电子邮箱（选填）", required=False, max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    consent_publish = forms.BooleanField(
        label="同意公开我的留言和答复", required=False,
        help_text="公开时隐去您的姓名和联系方式，留言中的个人信息也会被遮盖。不同意的，答复只通过查询页面告诉您。")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["attachments"].widget.attrs["accept"] = ",".join(f".{e}" for e in conf.ATTACHMENT_EXTENSIONS)


class TrackForm(forms.Form):
    tracking_code = forms.CharField(label="查询码", max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    secret = forms.CharField(label="查询密码", max_length=40,
                             widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                             help_text="提交留言后页面上显示的查询密码。")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(label="您对答复满意吗？", coerce=int, widget=forms.RadioSelect,
                                    choices=[(5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")])
    reopen = forms.BooleanField(label="不满意，请重新办理（仅限一次）", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ErrorReportForm(forms.Form):
    kind = forms.ChoiceField(label="问题类型", choices=list(conf.ERROR_REPORT_KINDS.items()), widget=forms.RadioSelect)
    page_url = forms.CharField(label="出错页面地址", max_length=500,
                               help_text="从哪个页面点进来的，这里已自动填好；也可以改为其他页面的地址。")
    description = forms.CharField(label="问题描述", max_length=conf.ERROR_REPORT_TEXT_MAX_CHARS,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="例如：第二段“机构”写成了“机购”；附件链接打不开。")
    name = forms.CharField(label="姓名或称呼（选填）", required=False, max_length=64,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label="手机号码或电子邮箱（选填）", required=False, max_length=254,
                            widget=forms.TextInput(attrs={"autocomplete": "email"}),
                            help_text="仅用于告诉您处理结果，不公开。")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class QuestionForm(forms.Form):
    text = forms.CharField(label="您的问题", max_length=conf.INTERVIEW_QUESTION_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="问题经审核后在访谈中由嘉宾回答。请勿填写个人信息。")
    nickname = forms.CharField(label="网友昵称（选填）", required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
