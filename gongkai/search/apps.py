from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.documents import hooks

        from .services import search_index_documents, search_index_on_commit

        hooks.document_changed.register(search_index_on_commit)
        hooks.documents_written.register(search_index_documents)
