from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "gongkai.compliance"
    label = "compliance"
    verbose_name = "内容检查与发布审查"
