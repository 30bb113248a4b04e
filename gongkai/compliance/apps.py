from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "gongkai.compliance"
    label = "compliance"
    verbose_name = "内容检查与发布审查"

    def ready(self) -> None:
        from gongkai.documents import hooks

        from . import services, system_checks  # noqa: F401 (system_checks registers itself)

        hooks.publication_gate.register(services.publication_gate)
        hooks.interpretation_publication_gate.register(services.interpretation_publication_gate)
        hooks.item_saved.register(services.item_saved)
