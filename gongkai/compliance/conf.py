"""Defaults of the content checks, each with where it was measured; a deployment may override them in
settings (``COMPLIANCE_…``). Read at call time, so that tests and administrators' settings apply."""

from __future__ import annotations

from django.conf import settings

# The wrong-character model's gain (natural-log units) below which a candidate is not proposed, per
# sensitivity (engine.typo_thresholds). Chosen on half A of ../shared/data/typos_official_writing_dev.tsv
# by bench/check_quality.py and reported there on half B:
# - precise (the automatic checks): one threshold, 11;
# - thorough (proofreading on request): threshold 6, and 2 for a candidate that makes a lexicon word
#   where the written character makes none (the rule "highest recall with sentence precision >= 0.92 on
#   half A" picked this pair from the grid the bench prints).
TYPO_THRESHOLD = 11.0
TYPO_THOROUGH_THRESHOLD = 6.0
TYPO_THOROUGH_WORD_THRESHOLD = 2.0


def typo_threshold() -> float:
    return float(getattr(settings, "COMPLIANCE_TYPO_THRESHOLD", TYPO_THRESHOLD))


def typo_thorough() -> tuple[float, float]:
    return (float(getattr(settings, "COMPLIANCE_TYPO_THOROUGH_THRESHOLD", TYPO_THOROUGH_THRESHOLD)),
            float(getattr(settings, "COMPLIANCE_TYPO_THOROUGH_WORD_THRESHOLD", TYPO_THOROUGH_WORD_THRESHOLD)))
