"""The demo command sets up the catalogue part (standard catalogue adopted, owners, an overdue item, a structure)."""

import pytest
from django.core.management import call_command

from gongkai.catalog import selectors
from gongkai.catalog.models import AdoptedItem, CatalogueNode
from gongkai.core.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_catalog(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--no-documents")
    call_command("demo", "--no-documents")  # idempotent
    government = Organisation.objects.get(code="DEMO00001")
    items = AdoptedItem.objects.filter(organisation=government)
    assert items.count() > 30 and not items.filter(owner__isnull=True).exists()
    assert items.get(domain="义务教育", level2="招生政策").owner.code == "DEMO00003"
    attention = selectors.items_needing_attention(organisation=government)
    states = {s.state for group in attention.values() for s in group}
    assert "overdue" in states and "no_content" in states
    assert CatalogueNode.objects.filter(organisation__code="DEMO00003").count() == 3
