from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "目录与指南"

    def ready(self) -> None:
        from gongkai.documents import hooks

        from .receivers import documents_written, lifecycle_recorded

        hooks.lifecycle_recorded.register(lifecycle_recorded)
        hooks.documents_written.register(documents_written)
