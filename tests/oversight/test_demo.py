"""The demo gives a newcomer real-looking, different scores, and a stored Q3 result that recomputes the same."""

import pytest
from django.core.management import call_command

from gongkai.core.models import Organisation
from gongkai.oversight import selectors
from gongkai.oversight.models import AssessmentResult, Incident, PlanTask, Rectification, UsageDaily
from gongkai.oversight.periods import period_parse


@pytest.mark.django_db
def test_demo_scores_spread_and_the_stored_result_is_stable(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-documents")
    call_command("demo", "--no-documents")  # idempotent
    assert Incident.objects.count() == 3 and PlanTask.objects.count() == 9 and Rectification.objects.count() == 18
    assert UsageDaily.objects.filter(kind="search_zero").exists()
    scheme = selectors.scheme_for_year(2026)
    agencies = Organisation.objects.filter(code__in=[f"DEMO0000{n}" for n in range(2, 8)])
    scores = selectors.assessment_ranking(scheme=scheme, organisations=agencies, period=period_parse("2026"))
    totals = [s.total for s in scores]
    assert all(t is not None for t in totals) and len(set(totals)) >= 4 and max(totals) > min(totals) + 10
    result = AssessmentResult.objects.get(period="2026-Q3")
    assert selectors.result_compare(result=result) == []
