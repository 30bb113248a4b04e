from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "gongkai.site"
    label = "gongkai_site"
    verbose_name = "平台"
