"""Fixtures of the compliance tests: a small wrong-character model built from the real laws corpus."""

from pathlib import Path

import pytest
from django.conf import settings

from gongkai.compliance import charlm, engine
from tests.conftest import shared_data


@pytest.fixture(scope="session")
def small_lm_path(tmp_path_factory) -> Path:
    """A model built from the first 4 million characters of the laws corpus (≈15 s)."""
    shared_data("laws.jsonl.gz")
    path = tmp_path_factory.mktemp("lm") / "charlm.pkl.gz"
    charlm.build(shared_dir=Path(settings.SHARED_DIR), limit_chars=4_000_000).save(path)
    return path


@pytest.fixture(autouse=True)
def no_typo_model(settings, tmp_path):
    """By default the checks run without the statistical model, whatever is in the data folder."""
    settings.COMPLIANCE_LM_PATH = tmp_path / "absent.pkl.gz"
    engine.checker_reset()
    yield
    engine.checker_reset()


@pytest.fixture
def with_typo_model(settings, small_lm_path):
    settings.COMPLIANCE_LM_PATH = small_lm_path
    engine.checker_reset()
    return small_lm_path
