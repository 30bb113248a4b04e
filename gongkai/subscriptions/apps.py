from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "gongkai.subscriptions"
    label = "subscriptions"
    verbose_name = "政策订阅与精准推送"

    def ready(self) -> None:

        from gongkai.documents import hooks as document_hooks
        from gongkai.search import hooks as search_hooks

        from . import checks, hooks, receivers, services, tasks  # noqa: F401 — checks registers itself

        document_hooks.lifecycle_recorded.register(receivers.on_lifecycle_recorded)
        document_hooks.interpretation_published.register(receivers.on_interpretation_published)
        hooks.messages_queued.register(tasks.send_after_commit)
        search_hooks.document_tags.register(services.facet_tags)
