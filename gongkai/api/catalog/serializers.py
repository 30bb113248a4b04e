"""Shapes of the catalogue API (read-only): service guides, key-area columns, gazette issues."""

from __future__ import annotations

from rest_framework import serializers


class Org(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class Material(serializers.Serializer):
    name = serializers.CharField()
    form = serializers.CharField(allow_blank=True)
    copies = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    sample = serializers.CharField(allow_blank=True)


class ServiceGuide(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="事项名称")
    kind = serializers.CharField()
    organisation = Org(help_text="实施机关")
    basis = serializers.CharField(help_text="设定依据")
    basis_documents = serializers.ListField(child=serializers.CharField(), help_text="依据文件的索引号")
    conditions = serializers.CharField(help_text="申请条件")
    materials = Material(many=True, help_text="办理材料")
    location = serializers.CharField(help_text="办理地点")
    hours = serializers.CharField(help_text="办理时间")
    phone = serializers.CharField(help_text="联系电话")
    process = serializers.ListField(child=serializers.CharField(), help_text="办理流程")
    legal_limit = serializers.CharField(help_text="法定办结时限")
    promised_limit = serializers.CharField(help_text="承诺办结时限")
    fee = serializers.CharField(help_text="收费标准")
    fee_basis = serializers.CharField(help_text="收费依据")
    consult = serializers.CharField(help_text="咨询方式")
    complaint = serializers.CharField(help_text="投诉方式")
    audiences = serializers.ListField(child=serializers.CharField())
    life_stages = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


class ServiceGuideList(serializers.Serializer):
    count = serializers.IntegerField()
    results = ServiceGuide(many=True)


class GazetteArticle(serializers.Serializer):
    section = serializers.CharField()
    title = serializers.CharField()
    index_no = serializers.CharField()
    doc_number = serializers.CharField()
    page = serializers.IntegerField(help_text="本期 PDF 中的起始页码")
    url = serializers.CharField()


class GazetteIssue(serializers.Serializer):
    year = serializers.IntegerField()
    number = serializers.IntegerField(help_text="期")
    total_number = serializers.IntegerField(help_text="总期号")
    published_on = serializers.DateField()
    pages = serializers.IntegerField()
    pdf = serializers.CharField()
    url = serializers.CharField()
    articles = GazetteArticle(many=True)


class GazetteIssueList(serializers.Serializer):
    count = serializers.IntegerField()
    results = GazetteIssue(many=True)


class ColumnState(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    latest = serializers.DateField(allow_null=True)
    stale = serializers.BooleanField()
    empty = serializers.BooleanField()
    findings = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


class ColumnList(serializers.Serializer):
    organisation = Org()
    results = ColumnState(many=True)
