"""The demo data: a published decision catalogue and two consultations (one open, one answered)."""

import pytest
from django.core.management import call_command

from gongkai.consultations import selectors
from gongkai.consultations.models import Consultation, DecisionItem


@pytest.mark.django_db
def test_demo_builds_the_catalogue_and_two_consultations(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-documents")
    call_command("demo", "--no-documents")  # idempotent
    assert DecisionItem.objects.filter(catalogue_published_at__isnull=False).count() == 5
    statuses = sorted(selectors.consultation_status(consultation=c) for c in Consultation.objects.all())
    assert statuses == ["open", "outcome"]
    answered = Consultation.objects.get(feedback_published_at__isnull=False)
    summary = selectors.adoption_summary(consultation=answered)
    assert summary.opinions == 11 and summary.groups == 5
    opened = Consultation.objects.get(feedback_published_at__isnull=True)
    background = opened.attachments.get()
    assert background.extension == ".docx" and background.findings == [] and not background.blocks_publication
