from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "gongkai.oversight"
    label = "oversight"
    verbose_name = "考核评估与督查"
