"""Forms of the oversight pages: input only; the rules are in gongkai.oversight.services."""

from __future__ import annotations

from django import forms

from gongkai.oversight import conf
from gongkai.oversight.models import IncidentAction, PressConference, Rectification

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PlanForm(forms.Form):
    organisation = OrganisationChoice(label="制定机关", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="标题", max_length=300)
    document = forms.CharField(label="印发文件（索引号或发文字号，可空）", required=False, max_length=100)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class TaskForm(forms.Form):
    number = forms.CharField(label="序号", max_length=20)
    title = forms.CharField(label="任务", max_length=500)
    paragraph = forms.CharField(label="对应条款（工作要点原文）", required=False, max_length=300)
    parent = forms.ModelChoiceField(label="上级任务", queryset=None, required=False)
    lead_unit = OrganisationChoice(label="牵头单位", queryset=None)
    co_units = forms.ModelMultipleChoiceField(label="配合单位", queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)

    def __init__(self, *args, plan, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = plan.tasks.all()
        self.fields["lead_unit"].queryset = organisations
        self.fields["co_units"].queryset = organisations
        self.fields["co_units"].label_from_instance = lambda o: o.name


class ProgressForm(forms.Form):
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label="佐证链接（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    completes = forms.BooleanField(label="该任务已完成", required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点内容", max_length=200)
    due_on = forms.DateField(label="节点日期", widget=DATE)


class RectificationForm(forms.Form):
    organisation = OrganisationChoice(label="责任单位", queryset=None)
    source = forms.ChoiceField(label="来源", choices=Rectification.Source.choices)
    title = forms.CharField(label="问题", max_length=300)
    detail = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    url = forms.CharField(label="问题页面", required=False, max_length=500)
    reference = forms.CharField(label="问题编号", required=False, max_length=100)
    found_on = forms.DateField(label="发现日期", widget=DATE)
    deadline = forms.DateField(label="整改期限（留空：10 个工作日）", required=False, widget=DATE)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ImportForm(forms.Form):
    file = forms.FileField(label="问题清单（XLSX：责任单位、问题、问题描述、来源、问题页面、问题编号、发现日期、整改期限）")


class AnswerForm(forms.Form):
    answer = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label="整改佐证链接（每行一个）", widget=forms.Textarea(attrs={"rows": 2}))


class RecheckForm(forms.Form):
    decision = forms.ChoiceField(label="复核结论", choices=[("accept", "通过，办结"), ("reject", "不通过，退回")],
                                 widget=forms.RadioSelect)
    note = forms.CharField(label="复核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(forms.Form):
    organisation = OrganisationChoice(label="责任单位", queryset=None)
    title = forms.CharField(label="舆情", max_length=300)
    source = forms.CharField(label="来源", max_length=200, help_text="如 微博、本地论坛、12345 热线、媒体报道")
    level = forms.ChoiceField(label="级别", choices=list(conf.LEVELS.items()))
    first_seen_at = forms.DateTimeField(label="首次发现时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    summary = forms.CharField(label="概要", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=IncidentAction.Kind.choices)
    at = forms.DateTimeField(label="时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 2}))
    url = forms.CharField(label="发布链接", required=False, max_length=500)


class ConferenceForm(forms.Form):
    organisation = OrganisationChoice(label="举办单位", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=PressConference.Kind.choices)
    topic = forms.CharField(label="主题", max_length=300)
    speakers = forms.CharField(label="发布人", max_length=300)
    held_on = forms.DateField(label="举行日期", widget=DATE)
    plan_filed_on = forms.DateField(label="方案报送日期", required=False, widget=DATE)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class TranscriptForm(forms.Form):
    url = forms.CharField(label="文字实录链接", max_length=500)


class SchemeRuleForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    include = forms.BooleanField(label="纳入", required=False)
    weight = forms.DecimalField(label="分值", min_value=0, max_digits=6, decimal_places=2, required=False)
    target = forms.DecimalField(label="满分线", min_value=0, max_value=1, max_digits=5, decimal_places=4, required=False)
    deduction = forms.DecimalField(label="每项扣分", min_value=0, max_digits=6, decimal_places=2, required=False)
    veto = forms.BooleanField(label="单项否决", required=False)


SchemeRuleFormSet = forms.formset_factory(SchemeRuleForm, extra=0)
