from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "gongkai.documents"
    label = "documents"
    verbose_name = "政策文件库"

    def ready(self) -> None:
        from gongkai import text

        from .taxonomy import taxonomy_terms

        text.vocabulary_register(taxonomy_terms)
