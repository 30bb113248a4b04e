from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.compliance import hooks as compliance_hooks

        from . import checks  # noqa: F401
        from .selectors import frequently_requested

        compliance_hooks.frequently_requested.register(frequently_requested)
