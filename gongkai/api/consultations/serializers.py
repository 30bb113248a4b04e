"""Shapes of the consultation API, in the spirit of Regulations.gov v4 and GOV.UK (a consultation moves
open_consultation → closed_consultation → consultation_outcome). Used for the OpenAPI schema and for
validating the bodies of the write endpoints."""

from __future__ import annotations

from rest_framework import serializers

from gongkai.consultations.models import Consultation, DecisionItem, Opinion, OpinionGroup


class ConsultationOrganisation(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()


class ConsultationSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Consultation.Kind.choices)
    document_type = serializers.ChoiceField(
        choices=["open_consultation", "closed_consultation", "consultation_outcome"],
        help_text="GOV.UK 文档类型：征求意见中 / 已结束 / 已公布采纳情况")
    status = serializers.CharField(help_text="forthcoming / open / closed / outcome / withdrawn")
    organisation = ConsultationOrganisation()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    days_left = serializers.IntegerField()
    opinions_received = serializers.IntegerField()
    url = serializers.CharField()


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    identical_count = serializers.IntegerField(help_text="相同意见（合并）的条数")
    outcome = serializers.CharField(allow_null=True)
    outcome_label = serializers.CharField(allow_null=True)
    reason = serializers.CharField(allow_null=True)


class OutcomeCount(serializers.Serializer):
    outcome = serializers.CharField()
    label = serializers.CharField()
    groups = serializers.IntegerField()
    opinions = serializers.IntegerField()


class FeedbackSerializer(serializers.Serializer):
    published_at = serializers.DateTimeField()
    summary = serializers.CharField()
    per_outcome = OutcomeCount(many=True)


class ConsultationAttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    format = serializers.CharField(help_text="文件扩展名，如 pdf、docx")
    size = serializers.IntegerField(help_text="字节数")
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text="公开下载地址")


class ConsultationDetail(ConsultationSummary):
    draft_text = serializers.CharField()
    explanation = serializers.CharField()
    articles = ArticleSerializer(many=True)
    attachments = ConsultationAttachmentSerializer(many=True)
    channels = serializers.ListField(child=serializers.CharField())
    short_period_reason = serializers.CharField()
    original_closes_on = serializers.DateField(allow_null=True, help_text="延长前的截止日期（未延长为 null）")
    extension_reason = serializers.CharField(help_text="延长期限的理由")
    minimum_period = serializers.CharField(allow_null=True)
    feedback_due_on = serializers.DateField()
    opinions = GroupSerializer(many=True, help_text="已公开的意见，相同意见合并")
    feedback = FeedbackSerializer(allow_null=True)


class ConsultationList(serializers.Serializer):
    count = serializers.IntegerField()
    results = ConsultationSummary(many=True)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    catalogue_owner = ConsultationOrganisation()
    owner_unit = ConsultationOrganisation()
    legal_basis = serializers.CharField()
    planned_schedule = serializers.CharField()
    state = serializers.ChoiceField(choices=DecisionItem.State.choices)
    state_label = serializers.CharField()
    consultations = serializers.ListField(child=serializers.IntegerField())


class DecisionList(serializers.Serializer):
    count = serializers.IntegerField()
    results = DecisionSerializer(many=True)


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=20000, allow_blank=True, trim_whitespace=False)
    idempotency_key = serializers.CharField(help_text="客户端生成的随机串（16-64 位字母数字-_），重复提交返回同一条意见")
    article = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)


class CommentReceipt(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    replayed = serializers.BooleanField()


class ConsultationInput(serializers.Serializer):
    organisation = serializers.CharField(help_text="起草单位机构代码")
    kind = serializers.ChoiceField(choices=Consultation.Kind.choices)
    title = serializers.CharField()
    draft_text = serializers.CharField()
    explanation = serializers.CharField()
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Opinion.Channel.choices))
    contact = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    short_period_reason = serializers.CharField(required=False, allow_blank=True)
    publish = serializers.BooleanField(required=False, default=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class ModerateInput(serializers.Serializer):
    publish = serializers.BooleanField()
    reason = serializers.ChoiceField(choices=Opinion.RejectReason.choices, required=False, allow_blank=True)
    public_body = serializers.CharField(required=False, allow_blank=True)


class AnswerInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=OpinionGroup.Outcome.choices)
    reason = serializers.CharField(required=False, allow_blank=True)


class FeedbackInput(serializers.Serializer):
    summary = serializers.CharField()


class StaffOpinion(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.IntegerField()
    article = serializers.CharField(allow_null=True)
    channel = serializers.CharField()
    body = serializers.CharField()
    state = serializers.CharField()
    personal_data_flagged = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
