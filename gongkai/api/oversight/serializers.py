"""Shapes of the oversight API (issue 24), for the OpenAPI schema and for validating write bodies."""

from __future__ import annotations

from rest_framework import serializers

from gongkai.oversight import conf
from gongkai.oversight.models import IncidentAction
from gongkai.oversight.models import Rectification as RectificationModel


class OversightOrg(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class OversightIndicatorDefinition(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    group = serializers.CharField()
    kind = serializers.ChoiceField(choices=["rate", "count"])
    definition = serializers.CharField()
    formula = serializers.CharField()
    source = serializers.CharField()
    available = serializers.BooleanField(help_text="其数据来源模块已安装；否则显示为“不可用”而非 0")


class OversightIndicatorList(serializers.Serializer):
    results = OversightIndicatorDefinition(many=True)


class OversightSchemeRule(serializers.Serializer):
    code = serializers.ChoiceField(choices=[d.code for d in conf.INDICATORS])
    weight = serializers.FloatField()
    target = serializers.FloatField(allow_null=True)
    deduction = serializers.FloatField(allow_null=True)
    veto = serializers.BooleanField()


class OversightScheme(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    source = serializers.CharField()
    frozen = serializers.BooleanField()
    indicators = OversightSchemeRule(many=True)


class OversightSchemeList(serializers.Serializer):
    results = OversightScheme(many=True)


class OversightIndicatorItem(serializers.Serializer):
    key = serializers.CharField(help_text="稳定的事项键，如 application:12")
    label = serializers.CharField()
    ok = serializers.BooleanField(help_text="比例类：计入分子；计数类：恒为 false（发现的问题）")
    note = serializers.CharField()
    organisation = serializers.CharField()


class OversightScoreLine(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    available = serializers.BooleanField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    count = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()
    points = serializers.FloatField(allow_null=True, help_text="null：无应考核事项或不可用，不计入总分")
    vetoed = serializers.BooleanField()
    display = serializers.CharField()


class OversightScore(serializers.Serializer):
    organisation = OversightOrg()
    total = serializers.FloatField(allow_null=True)
    vetoed = serializers.BooleanField()
    lines = OversightScoreLine(many=True)


class OversightScoreList(serializers.Serializer):
    period = serializers.CharField()
    period_label = serializers.CharField()
    scheme = serializers.IntegerField()
    results = OversightScore(many=True)


class OversightScoreItems(serializers.Serializer):
    organisation = OversightOrg()
    period = serializers.CharField()
    indicator = OversightIndicatorDefinition()
    display = serializers.CharField()
    extra = serializers.DictField()
    items = OversightIndicatorItem(many=True)


class OversightRectification(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OversightOrg()
    source = serializers.ChoiceField(choices=RectificationModel.Source.choices)
    reference = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    found_on = serializers.DateField()
    deadline = serializers.DateField()
    state = serializers.ChoiceField(choices=RectificationModel.State.choices)
    overdue = serializers.BooleanField()
    answer = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())
    answered_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    rejections = serializers.IntegerField()


class OversightRectificationList(serializers.Serializer):
    count = serializers.IntegerField()
    results = OversightRectification(many=True)


class OversightRectificationInput(serializers.Serializer):
    organisation = serializers.CharField(help_text="责任单位机构代码")
    source = serializers.ChoiceField(choices=RectificationModel.Source.choices)
    title = serializers.CharField(max_length=300)
    detail = serializers.CharField(required=False, allow_blank=True, default="")
    url = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    found_on = serializers.DateField()
    deadline = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="留空：发现日期后 10 个工作日（本地默认）")


class OversightAnswerInput(serializers.Serializer):
    answer = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField(max_length=500), min_length=1)


class OversightRecheckInput(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OversightMilestone(serializers.Serializer):
    title = serializers.CharField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class OversightProgress(serializers.Serializer):
    on = serializers.DateField()
    text = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField())
    completes = serializers.BooleanField()


class OversightTask(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    depth = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    paragraph = serializers.CharField(help_text="工作要点原文段落")
    lead_unit = OversightOrg()
    co_units = OversightOrg(many=True)
    deadline = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    milestones = OversightMilestone(many=True)
    reports = OversightProgress(many=True)


class OversightPlan(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OversightOrg()
    year = serializers.IntegerField()
    title = serializers.CharField()
    document = serializers.IntegerField(allow_null=True)


class OversightPlanList(serializers.Serializer):
    results = OversightPlan(many=True)


class OversightPlanDetail(OversightPlan):
    summary = serializers.CharField(help_text="可用于年度报告第五部分的落实情况小结")
    tasks = OversightTask(many=True)


class OversightProgressInput(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)
    completes = serializers.BooleanField(required=False, default=False)


class OversightClock(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due_at = serializers.DateTimeField()
    latest_at = serializers.DateTimeField()
    done_at = serializers.DateTimeField(allow_null=True)
    state = serializers.ChoiceField(choices=["met", "met_late", "running", "missed"])


class OversightAction(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentAction.Kind.choices)
    at = serializers.DateTimeField()
    text = serializers.CharField()
    url = serializers.CharField()


class OversightIncident(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OversightOrg()
    title = serializers.CharField()
    source = serializers.CharField()
    level = serializers.ChoiceField(choices=list(conf.LEVELS.items()))
    first_seen_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    clocks = OversightClock(many=True)
    actions = OversightAction(many=True)


class OversightIncidentList(serializers.Serializer):
    count = serializers.IntegerField()
    results = OversightIncident(many=True)
