from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gongkai.documents"
    label = "documents"
    verbose_name = "政策文件库"
