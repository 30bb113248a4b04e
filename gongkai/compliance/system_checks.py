"""`gongkai check` (and `check --deploy`): the wrong-character model is reported when it is missing."""

from django.core.checks import Warning, register

from . import engine


@register("compliance")
def typo_model_check(app_configs, **kwargs):
    state = engine.typo_model_state(load=False)
    if state.available:
        return []
    return [Warning(state.warning, hint="错别字检测是发布前内容检查的一部分（RULES §5）。", id="compliance.W001")]
