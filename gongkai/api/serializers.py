"""Output shapes of the read API. Field names are English; labels (`*_label`) are the Chinese display values.

Serializers only read attributes that the selectors have already loaded (select_related/prefetch),
so a page costs a fixed number of queries. The context carries `request` (for absolute links) and
`viewer` (for what linked items may be shown).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongkai.core.models import Organisation
from gongkai.documents.models import (
    Audience,
    DisclosureAttribute,
    Document,
    Genre,
    Interpretation,
    LifecycleEvent,
    Status,
    Validity,
)

from .selectors import document_is_visible


def absolute(request, name: str, **kwargs) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))


def document_url(request, document: Document) -> str:
    return absolute(request, "document-detail", pk=document.pk)


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class IssuerSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name", help_text="发文机关名称")
    organisation = serializers.SerializerMethodField(help_text="平台上的机关代码；外部机关为 null")

    def get_organisation(self, issuer) -> str | None:
        return issuer.organisation.code if issuer.organisation_id else None


class DocumentListItemSerializer(serializers.Serializer):
    """One row of GET /api/v1/documents (the shape search results share)."""

    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    doc_number = serializers.CharField(help_text="发文字号")
    index_no = serializers.CharField(help_text="索引号")
    issuer = serializers.SerializerMethodField(help_text="发文机关（联合发文以“、”连接）")
    issuers = IssuerSerializer(many=True, source="issuers.all")
    organisation = serializers.CharField(source="organisation.code", help_text="所属机关代码")
    published_at = serializers.DateTimeField(allow_null=True, help_text="发布日期")
    written_on = serializers.DateField(allow_null=True, help_text="成文日期")
    genre = serializers.ChoiceField(choices=Genre.choices, help_text="文种代码")
    genre_label = serializers.CharField(source="get_genre_display")
    validity = serializers.ChoiceField(choices=Validity.choices, help_text="有效性代码")
    validity_label = serializers.CharField(source="get_validity_display")
    status = serializers.ChoiceField(choices=Status.choices, help_text="状态代码（公众只会看到 published）")
    topic = serializers.SerializerMethodField(help_text="主题分类代码")
    topic_label = serializers.SerializerMethodField(help_text="主题分类，格式 一级\\二级")
    url = serializers.SerializerMethodField(help_text="本文件详情的 API 地址")
    snippet = serializers.SerializerMethodField(help_text="全文检索时命中的摘要；未检索时为 null")
    score = serializers.SerializerMethodField(help_text="全文检索时的相关度；未检索时为 null")

    def get_issuer(self, document) -> str:
        return "、".join(i.display_name for i in document.issuers.all())

    def get_topic(self, document) -> str | None:
        return document.topic.code if document.topic_id else None

    def get_topic_label(self, document) -> str | None:
        return document.topic.label if document.topic_id else None

    def get_url(self, document) -> str:
        return document_url(self.context["request"], document)

    def _extra(self, document, key):
        return self.context.get("extras", {}).get(document.pk, {}).get(key)

    def get_snippet(self, document) -> str | None:
        return self._extra(document, "snippet")

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_score(self, document) -> float | None:
        return self._extra(document, "score")


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="字节数")
    type = serializers.CharField(source="content_type")
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment) -> str:
        return self.context["request"].build_absolute_uri(attachment.file.url)


class InterpretationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    form = serializers.ChoiceField(choices=Interpretation.Form.choices)
    form_label = serializers.CharField(source="get_form_display")
    state = serializers.ChoiceField(choices=Interpretation.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    organisation = serializers.CharField(source="organisation.code", help_text="解读机关代码")
    organisation_name = serializers.CharField(source="organisation.name")
    published_at = serializers.DateTimeField(allow_null=True)
    media_url = serializers.CharField()
    body = serializers.CharField(help_text="经过清洗的 HTML")
    attachments = AttachmentSerializer(many=True, source="attachments.all")


class RelatedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    doc_number = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return document_url(self.context["request"], document)


class EventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LifecycleEvent.Kind.choices)
    label = serializers.CharField(source="get_kind_display")
    date = serializers.DateTimeField(source="at")
    effective_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField()
    related_document = serializers.SerializerMethodField(help_text="修改/废止本文件的文件；无权查看时为 null")

    @extend_schema_field(RelatedDocumentSerializer(allow_null=True))
    def get_related_document(self, event):
        related = event.related_document
        if related is None or not document_is_visible(viewer=self.context["viewer"], document=related):
            return None
        return RelatedDocumentSerializer(related, context=self.context).data


class DocumentDetailSerializer(DocumentListItemSerializer):
    """Everything RULES §6 lists for a document, its interpretations, attachments and lifecycle."""

    organisation_name = serializers.CharField(source="organisation.name")
    effective_on = serializers.DateField(allow_null=True, help_text="生效日期")
    repealed_on = serializers.DateField(allow_null=True, help_text="废止日期")
    expires_on = serializers.DateField(allow_null=True, help_text="有效期至")
    status_label = serializers.CharField(source="get_status_display")
    audiences = serializers.SerializerMethodField(help_text="服务对象")
    life_stages = serializers.ListField(child=serializers.CharField(), help_text="生命周期分类")
    subject_words = serializers.CharField(help_text="主题词")
    summary = serializers.CharField(help_text="内容概述")
    consultation_department = serializers.CharField(help_text="政策咨询部门")
    consultation_phone = serializers.CharField(help_text="政策咨询电话")
    registration_no = serializers.CharField(help_text="规范性文件登记号")
    source = serializers.CharField(help_text="信息来源")
    category = serializers.CharField(help_text="文件类别")
    disclosure_attribute = serializers.ChoiceField(choices=DisclosureAttribute.choices, help_text="公开属性")
    disclosure_attribute_label = serializers.CharField(source="get_disclosure_attribute_display")
    is_normative = serializers.BooleanField(help_text="是否规章或行政规范性文件")
    body = serializers.CharField(help_text="正文，经过清洗的 HTML")
    interpretations = InterpretationSerializer(many=True, source="visible_interpretations")
    attachments = AttachmentSerializer(many=True, source="attachments.all")
    events = serializers.SerializerMethodField(help_text="生命周期事件（公众只看到发布、修改、废止、失效、更正）")

    @extend_schema_field(CodeLabelSerializer(many=True))
    def get_audiences(self, document):
        labels = dict(Audience.choices)
        return [{"code": code, "label": str(labels.get(code, code))} for code in document.audiences]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, document):
        return EventSerializer(self.context["events"], many=True, context=self.context).data


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="机构代码（用于索引号）")
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    parent = serializers.SerializerMethodField(help_text="上级机关代码；顶级为 null")
    depth = serializers.IntegerField(help_text="在机关树中的层级，顶级为 0")
    url = serializers.SerializerMethodField()

    def get_parent(self, organisation) -> str | None:
        return organisation.parent.code if organisation.parent_id else None

    def get_url(self, organisation) -> str:
        return absolute(self.context["request"], "organisation-detail", code=organisation.code)


class OrganisationRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    address = serializers.CharField(help_text="办公地址")
    postcode = serializers.CharField(help_text="邮政编码")
    office_hours = serializers.CharField(help_text="办公时间")
    phone = serializers.CharField(help_text="联系电话")
    fax = serializers.CharField(help_text="传真")
    email = serializers.CharField(help_text="电子邮箱")
    website = serializers.CharField(help_text="网站")


class DisclosureOfficeSerializer(serializers.Serializer):
    name = serializers.CharField(source="disclosure_office_name", help_text="政府信息公开工作机构")
    address = serializers.CharField(source="disclosure_office_address")
    office_hours = serializers.CharField(source="disclosure_office_hours")
    phone = serializers.CharField(source="disclosure_office_phone")
    fax = serializers.CharField(source="disclosure_office_fax")
    email = serializers.CharField(source="disclosure_office_email")
    web = serializers.CharField(source="disclosure_office_web", help_text="互联网联系方式")


class OrganisationDetailSerializer(OrganisationSerializer):
    """An organisation with its contact details and its 公开指南 (disclosure office) details."""

    head_name = serializers.CharField(help_text="负责人")
    functions = serializers.CharField(help_text="机关职能")
    is_active = serializers.BooleanField()
    contact = ContactSerializer(source="*")
    disclosure_office = DisclosureOfficeSerializer(source="*")
    reconsideration_body = serializers.CharField(help_text="行政复议机关")
    court = serializers.CharField(help_text="管辖人民法院")
    children = OrganisationRefSerializer(many=True, source="children.all")


class TopicChildSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField(help_text="一级\\二级")


class TopicSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField()
    children = TopicChildSerializer(many=True, source="sub")


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class DocumentListResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DocumentListItemSerializer(many=True)
    facets = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="有 q 时：分面统计 {issuer|topic|genre|validity|year: [{value, label, count}]}；否则为空对象",
    )
    understood = serializers.DictField(
        required=False, help_text="有 q 时：从检索词中识别并已应用的筛选条件，如 {\"issuer\": \"…\", \"year\": 2019}")
    quotes_ignored = serializers.BooleanField(
        required=False, help_text="为 true 时：在所给筛选条件下没有完全包含引号中词句的文件，结果为去掉引号后的检索结果")
    relaxed_query = serializers.DictField(
        required=False, help_text="筛选条件下没有结果时：不限筛选条件检索 q 可找到的文件数 {q, count}")
    did_you_mean = serializers.DictField(
        required=False, help_text="检索词疑有错别字时：按索引词汇纠正后的检索词 {q, searched}；searched 为 true 时结果即为纠正后的检索结果")


class OrganisationListResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = OrganisationSerializer(many=True)


class TopicListResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = TopicSerializer(many=True)


class EnumerationsSerializer(serializers.Serializer):
    genre = ChoiceSerializer(many=True)
    validity = ChoiceSerializer(many=True)
    status = ChoiceSerializer(many=True)
    disclosure_attribute = ChoiceSerializer(many=True)
    audience = ChoiceSerializer(many=True)
    event_kind = ChoiceSerializer(many=True)
    interpretation_form = ChoiceSerializer(many=True)
    organisation_kind = ChoiceSerializer(many=True)


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()
