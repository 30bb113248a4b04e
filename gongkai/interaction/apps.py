from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "政民互动"
