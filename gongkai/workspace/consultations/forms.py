"""Forms of the consultation pages of the back office (the services check every rule again)."""

from __future__ import annotations

from django import forms

from gongkai.consultations.models import Consultation, DecisionItem, DecisionMaterial, Opinion, OpinionGroup
from gongkai.core.models import Organisation

from ..forms import AccessibleFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Form(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ConsultationForm(Form):
    organisation = forms.ModelChoiceField(label="起草单位", queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label="草案类别", choices=Consultation.Kind.choices,
                             help_text="重大行政决策、规章不少于30日；行政规范性文件不少于7个工作日。")
    title = forms.CharField(label="标题", max_length=300)
    decision_item = forms.ModelChoiceField(label="重大行政决策事项", queryset=DecisionItem.objects.none(), required=False)
    draft_text = forms.CharField(label="草案全文", widget=forms.Textarea(attrs={"rows": 14}),
                                 help_text="以“第一条”“第二条”开头的段落会被识别为条款，公众可逐条提出意见。")
    explanation = forms.CharField(label="起草说明", widget=forms.Textarea(attrs={"rows": 6}))
    channels = forms.MultipleChoiceField(label="征求意见方式", choices=Opinion.Channel.choices,
                                         widget=forms.CheckboxSelectMultiple, initial=["online"])
    contact = forms.CharField(label="意见反馈地址", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="电子邮箱、通信地址、传真号码等。")
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="截止日期", widget=DATE)
    short_period_reason = forms.CharField(label="缩短期限的理由", max_length=500, required=False,
                                          help_text="少于法定期限的，必须说明理由，理由将与草案一并公布。")

    def __init__(self, *args, organisations=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.none()
        self.fields["decision_item"].queryset = items if items is not None else DecisionItem.objects.none()


class AttachmentForm(Form):
    file = forms.FileField(label="附件文件", help_text="草案文本、起草说明、背景材料等；上传后自动检查其中的个人信息。")
    name = forms.CharField(label="显示名称（选填）", required=False, max_length=200)


class ExtendForm(Form):
    ends_on = forms.DateField(label="新的截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延长理由（将在公开页面上公布）", max_length=500)


class ReasonForm(Form):
    reason = forms.CharField(label="理由", max_length=500)


class IssuedForm(Form):
    issued_on = forms.DateField(label="决策（文件）印发日期", widget=DATE)
    document_ref = forms.CharField(label="正式文件（文件库索引号或文号）", required=False, max_length=100)


class HearingForm(Form):
    held_at = forms.DateTimeField(label="举行时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label="地点", max_length=300)
    participants_selection = forms.CharField(label="参加人员产生方式", widget=forms.Textarea(attrs={"rows": 2}))


class MinutesForm(Form):
    minutes = forms.CharField(label="听证笔录", widget=forms.Textarea(attrs={"rows": 6}))


class OfflineOpinionForm(Form):
    channel = forms.ChoiceField(label="收到渠道", choices=[c for c in Opinion.Channel.choices if c[0] != "online"])
    received_on = forms.DateField(label="收到日期（以邮戳、发送日期为准）", widget=DATE)
    article = forms.ChoiceField(label="针对条款", required=False)
    body = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label="提出人（不公开）", required=False, max_length=64)
    phone = forms.CharField(label="联系电话（不公开）", required=False, max_length=32)
    email = forms.EmailField(label="电子邮箱（不公开）", required=False)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "针对草案整体")] + [(a.pk, a.label) for a in articles]


class ModerateForm(Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("publish", "公开"), ("reject", "不予公开")])
    reason = forms.ChoiceField(label="不予公开的理由", choices=[("", "—")] + list(Opinion.RejectReason.choices),
                               required=False)
    public_body = forms.CharField(label="公开文本（去除个人信息后）", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(Form):
    outcome = forms.ChoiceField(label="采纳情况", choices=OpinionGroup.Outcome.choices)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="未采纳、部分采纳等情形必须说明理由。")


class FeedbackForm(Form):
    summary = forms.CharField(label="意见采纳情况说明", widget=forms.Textarea(attrs={"rows": 6}))


class DecisionItemForm(Form):
    catalogue_owner = forms.ModelChoiceField(label="目录编制机关", queryset=Organisation.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="决策事项", max_length=300)
    owner_unit = forms.ModelChoiceField(label="承办单位", queryset=Organisation.objects.filter(is_active=True))
    legal_basis = forms.CharField(label="决策依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    planned_schedule = forms.CharField(label="计划完成时间", required=False, max_length=100)
    reason = forms.CharField(label="增补或调整理由", required=False, max_length=500,
                             help_text="目录公布后增补事项、调整事项，必须说明理由。")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue_owner"].queryset = owners if owners is not None else Organisation.objects.none()


class AdvanceForm(Form):
    state = forms.ChoiceField(label="推进到", choices=DecisionItem.State.choices)
    reason = forms.CharField(label="说明", required=False, max_length=500)


class MaterialForm(Form):
    kind = forms.ChoiceField(label="材料类别", choices=DecisionMaterial.Kind.choices)
    title = forms.CharField(label="标题", max_length=300)
    url = forms.URLField(label="链接", required=False, assume_scheme="https")
    body = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
