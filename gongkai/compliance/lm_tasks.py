"""Building the wrong-character model on first need, in the background (the task layer, huey).

Kept apart from `tasks.py` (which reads `services`) so that `services` can ask for a build without a
circle of imports.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from huey.contrib.djhuey import db_task

from . import engine

_BUILDING = "compliance:typo-model-building"


@db_task()
def typo_model_build_task():
    try:
        engine.typo_model_build()
    finally:
        cache.delete(_BUILDING)


def typo_model_ensure() -> engine.TypoModelState:
    """The model's state; when it is missing but buildable, one background build is queued (at most one at
    a time across processes) unless COMPLIANCE_LM_BUILD_ON_NEED is off."""
    state = engine.typo_model_state()
    if not state.available and state.buildable and settings.COMPLIANCE_LM_BUILD_ON_NEED:
        if cache.add(_BUILDING, True, timeout=3600):
            typo_model_build_task()
    return state
