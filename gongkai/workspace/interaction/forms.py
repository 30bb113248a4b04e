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
