"""Shapes of the policy Q&A API (for the OpenAPI schema and for validating the write bodies)."""

from __future__ import annotations

from rest_framework import serializers


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    index_no = serializers.CharField()
    article = serializers.CharField(allow_blank=True, help_text="引用的条款（已知时）")
    url = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_blank=True)
    question = serializers.CharField()
    alternatives = serializers.ListField(child=serializers.CharField())
    answer = serializers.CharField()
    department = serializers.CharField(allow_blank=True)
    topics = serializers.ListField(child=serializers.CharField())
    audiences = serializers.ListField(child=serializers.CharField())
    sources = SourceSerializer(many=True)
    updated_at = serializers.DateTimeField()
    url = serializers.CharField()


class StaffEntrySerializer(EntrySerializer):
    state = serializers.CharField(help_text="draft / published / flagged")
    flag_reason = serializers.CharField(allow_blank=True)
    problems = serializers.ListField(child=serializers.CharField(), help_text="发布前须解决的问题（内容检查、来源效力）")


class EntryList(serializers.Serializer):
    count = serializers.IntegerField()
    results = EntrySerializer(many=True)


class AnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_blank=True)
    question = serializers.CharField()
    score = serializers.FloatField(help_text="0-1：问题的词与字二元组在条目中被覆盖的程度")
    sources = serializers.ListField(child=serializers.DictField())


class AskResult(serializers.Serializer):
    answers = AnswerSerializer(many=True)
    abstained = serializers.BooleanField(help_text="true：问答库中没有能回答该问题的条目（请转人工咨询）")


class AskInput(serializers.Serializer):
    question = serializers.CharField(max_length=200)


class EntryInput(serializers.Serializer):
    question = serializers.CharField(max_length=500)
    answer = serializers.CharField(max_length=20000)
    alternatives = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)
    department = serializers.CharField(required=False, allow_blank=True, default="")
    organisation = serializers.CharField(required=False, allow_blank=True, default="", help_text="答复机关机构代码")
    topics = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    audiences = serializers.ListField(child=serializers.CharField(max_length=60), required=False, default=list)
    sources = serializers.ListField(child=serializers.IntegerField(), required=False, default=list, help_text="文件 id")
