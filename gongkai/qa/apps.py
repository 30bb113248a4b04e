from django.apps import AppConfig


class QAConfig(AppConfig):
    name = "gongkai.qa"
    label = "qa"
    verbose_name = "政策问答"

    def ready(self) -> None:
        from gongkai import text
        from gongkai.documents import hooks

        from . import conf, services

        text.vocabulary_register(lambda: [*conf.SYNONYMS, *conf.SYNONYMS.values()])

        hooks.lifecycle_recorded.register(services.qa_on_lifecycle)
        hooks.document_changed.register(services.qa_on_document_changed)
        hooks.documents_written.register(services.qa_on_documents_written)
