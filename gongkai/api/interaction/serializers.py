"""Shapes of the 政民互动 API, for the OpenAPI schema and for validating write bodies."""

from __future__ import annotations

from rest_framework import serializers

from gongkai.interaction import conf


class InteractionOrg(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class InteractionBox(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=list(conf.BOX_KINDS.items()))
    organisation = InteractionOrg()
    reply_days = serializers.IntegerField(help_text="答复时限（工作日）")
    publish_replies = serializers.BooleanField()
    url = serializers.CharField()


class InteractionBoxList(serializers.Serializer):
    results = InteractionBox(many=True)


class InteractionMessageInput(serializers.Serializer):
    subject = serializers.CharField(max_length=conf.SUBJECT_MAX_CHARS)
    text = serializers.CharField(max_length=conf.TEXT_MAX_CHARS)
    consent_publish = serializers.BooleanField(default=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=64)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    idempotency_key = serializers.CharField(
        required=False, max_length=64,
        help_text="客户端生成的随机串（16-64 位字母数字-_）；同一串重复提交返回同一条留言（不再返回查询密码），不重复保存")


class InteractionMessageReceipt(serializers.Serializer):
    tracking_code = serializers.CharField()
    secret = serializers.CharField(help_text="查询密码，只返回这一次（重复提交时为空）")
    replayed = serializers.BooleanField(help_text="true：同一 idempotency_key 已提交过，未重复保存")
    due_on = serializers.DateField()


class InteractionTrackInput(serializers.Serializer):
    tracking_code = serializers.CharField(max_length=30)
    secret = serializers.CharField(max_length=40)


class InteractionTrackResult(serializers.Serializer):
    tracking_code = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    organisation = InteractionOrg()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    explanation = serializers.ListField(child=serializers.CharField())
    reply = serializers.CharField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)


class InteractionReply(serializers.Serializer):
    id = serializers.IntegerField()
    subject = serializers.CharField()
    text = serializers.CharField(help_text="个人信息已遮盖")
    reply = serializers.CharField(help_text="个人信息已遮盖")
    mailbox = serializers.CharField()
    organisation = InteractionOrg()
    submitted_at = serializers.DateTimeField()
    replied_at = serializers.DateTimeField()
    late = serializers.BooleanField()
    url = serializers.CharField()


class InteractionReplyList(serializers.Serializer):
    count = serializers.IntegerField()
    results = InteractionReply(many=True)


class InteractionErrorReportInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(conf.ERROR_REPORT_KINDS.items()))
    page_url = serializers.CharField(max_length=500)
    description = serializers.CharField(max_length=conf.ERROR_REPORT_TEXT_MAX_CHARS)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=254)


class InteractionErrorReportReceipt(serializers.Serializer):
    tracking_code = serializers.CharField()
    forward_due_on = serializers.DateField()
    reply_due_on = serializers.DateField()


class InteractionOverdue(serializers.Serializer):
    tracking_code = serializers.CharField()
    subject = serializers.CharField()
    organisation = serializers.CharField()
    mailbox = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    days = serializers.IntegerField()
    replied_late = serializers.BooleanField()


class InteractionOverdueList(serializers.Serializer):
    count = serializers.IntegerField()
    months = serializers.IntegerField()
    results = InteractionOverdue(many=True)


class InteractionStaffMessage(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    mailbox = serializers.CharField()
    organisation = InteractionOrg()
    submitted_at = serializers.DateTimeField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class InteractionStaffMessageList(serializers.Serializer):
    count = serializers.IntegerField()
    results = InteractionStaffMessage(many=True)


class InteractionStepInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=["accepted", "rejected", "forwarded", "handed_back", "replied",
                                            "published", "unpublished"])
    reason = serializers.CharField(required=False, allow_blank=True, help_text="不予受理：abuse/duplicate/not_ours；退回、撤回公开：理由")
    to = serializers.CharField(required=False, help_text="转办：机构代码")
    text = serializers.CharField(required=False, help_text="答复意见")


class InteractionInterview(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = InteractionOrg()
    status = serializers.CharField(help_text="announced（预告）/ live（直播中）/ ended（已结束）/ archived（文字实录已发布）")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    guests = serializers.ListField(child=serializers.CharField())
    transcript = serializers.ListField(child=serializers.DictField(), help_text="[{speaker, text}]，文字实录发布后才有")
    photos = serializers.ListField(child=serializers.DictField(), help_text="访谈图片 [{url, alt, caption}]（alt：替代文本）")
    url = serializers.CharField()


class InteractionInterviewList(serializers.Serializer):
    results = InteractionInterview(many=True)


class InteractionSurvey(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = InteractionOrg()
    status = serializers.CharField(help_text="forthcoming（未开始）/ open（进行中）/ closed（已结束）")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    results = serializers.DictField(allow_null=True, help_text="结束且公开结果后：{sheets, questions: [{text, kind, options: [{label, count}]}]}")
    url = serializers.CharField()


class InteractionSurveyList(serializers.Serializer):
    results = InteractionSurvey(many=True)
