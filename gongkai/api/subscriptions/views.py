"""政策订阅 in the API: the profile vocabulary (public, for apps that build profile forms and feeds), the
staff statistics, and bounce reports from the mail server (platform administrators' API keys)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.core.selectors import user_is_platform_admin, user_is_staff_member
from gongkai.subscriptions import conf, selectors, services

from ..authentication import ApiKeyAuthentication
from . import serializers as s

TAGS = ["政策订阅"]


class Base(APIView):
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]


class VocabularyView(Base):
    @extend_schema(tags=TAGS, operation_id="subscriptions_vocabulary", summary="画像标签（人生阶段、群体、行业、规模等）",
                   responses=s.Vocabulary)
    def get(self, request):
        dimensions = []
        for dimension, label in conf.DIMENSIONS.items():
            dimensions.append({
                "dimension": dimension, "label": label,
                "profile_kind": "person" if dimension in conf.PERSON_DIMENSIONS else "enterprise",
                "narrowing": dimension in conf.NARROWING,
                "tags": [{"key": t.key, "label": t.label, "source": t.source} for t in conf.tags_of(dimension)],
            })
        feed = request.build_absolute_uri(reverse("portal:subscriptions_profile_feed"))
        return Response({"dimensions": dimensions, "profile_feed": f"{feed}?kind=person&tag=stage:就业&region=<机构代码>"})


class StatisticsView(Base):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, operation_id="subscriptions_statistics", summary="订阅统计（汇总数字，不含个人信息）",
                   responses={200: dict})
    def get(self, request):
        if not user_is_staff_member(request.user):
            raise exceptions.PermissionDenied("仅限工作人员。")
        stats = selectors.statistics()
        stats["kinds"] = [{"kind": k, "count": n} for k, n in stats["kinds"]]
        stats["popular"] = [{"tag": t, "dimension": d, "profiles": n} for t, d, n in stats["popular"]]
        return Response(stats)


class BounceView(Base):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, operation_id="subscriptions_bounce", summary="报告退信（邮件服务器调用）",
                   request=s.Bounce, responses=s.BounceResult)
    def post(self, request):
        if not user_is_platform_admin(request.user):
            raise exceptions.PermissionDenied("仅限平台管理员的密钥。")
        data = s.Bounce(data=request.data)
        data.is_valid(raise_exception=True)
        services.subscriber_bounce(email=data.validated_data["email"], permanent=data.validated_data["permanent"])
        return Response({"recorded": True})
