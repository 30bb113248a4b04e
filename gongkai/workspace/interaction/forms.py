"""Staff forms of 政民互动: the steps of a message and of a 找错 report."""

from __future__ import annotations

from django import forms

from gongkai.interaction import conf


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RejectForm(_Form):
    reason = forms.ChoiceField(label="不予受理的原因", choices=list(conf.INVALID_REASONS.items()))
    note = forms.CharField(label="说明", required=False, max_length=500)


class ForwardForm(_Form):
    to = forms.ModelChoiceField(label="转办给", queryset=None)

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = organisations


class ReasonForm(_Form):
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(_Form):
    text = forms.CharField(label="答复意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="发出前检查用语和个人信息；有严重问题的答复不能发出。公开前须由另一名审核人审核。")


class AssignForm(_Form):
    assignee = forms.ModelChoiceField(label="承办人", queryset=None)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users


class ReportReplyForm(_Form):
    outcome = forms.ChoiceField(label="办理结果", choices=list(conf.ERROR_REPORT_OUTCOMES.items()))
    resolution = forms.CharField(label="处理情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="改了什么、在哪里改的；经核实无误的，说明理由。")


class InterviewForm(_Form):
    organisation = forms.ModelChoiceField(label="主办机关", queryset=None)
    title = forms.CharField(label="访谈主题", max_length=200)
    guests = forms.CharField(label="嘉宾（每行一位：姓名、职务）", widget=forms.Textarea(attrs={"rows": 3}))
    starts_at = forms.DateTimeField(label="开始时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label="结束时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    summary = forms.CharField(label="内容简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ModerateForm(_Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label="处理", choices=[("approved", "采用"), ("rejected", "不采用")])
    answered_by = forms.CharField(label="回答嘉宾", required=False, max_length=100)
    answer = forms.CharField(label="回答", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TranscriptForm(_Form):
    text = forms.CharField(label="文字实录", widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="每段以“发言人：”开头，如“主持人：各位网友大家好”；不以发言人开头的行接上一段。")


class PhotoForm(_Form):
    photo = forms.FileField(label="图片", help_text="jpg、png 或 gif；大小按本平台附件限制。上传后做内容检查。")
    alt = forms.CharField(label="图片说明（替代文本，必填）", max_length=200,
                          help_text="读屏软件朗读的文字，写明图中是谁、在做什么，如“局长在访谈现场回答网友提问”。")
    caption = forms.CharField(label="图注（选填）", max_length=300, required=False)


class SurveyForm(_Form):
    organisation = forms.ModelChoiceField(label="主办机关", queryset=None)
    title = forms.CharField(label="调查主题", max_length=200)
    intro = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    results_public = forms.BooleanField(label="结束后公开调查结果", required=False, initial=True)
    questions = forms.CharField(
        label="问题", widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每题之间空一行；每题第一行写 [单选]、[多选] 或 [填空] 和问题，以下每行一个选项。")

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BoxForm(_Form):
    name = forms.CharField(label="名称", max_length=100)
    reply_days = forms.IntegerField(label="答复时限（工作日）", min_value=1, max_value=60,
                                    help_text="咨询类默认 5 个工作日，信箱和投诉建议默认 15 个工作日（RULES §5）。")
    publish_replies = forms.BooleanField(label="答复公开（经留言人同意）", required=False)
    is_active = forms.BooleanField(label="启用（接收留言）", required=False)
