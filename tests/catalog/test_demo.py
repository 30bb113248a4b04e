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


def test_demo_columns_guides_and_gazette(tmp_path, settings):
    from gongkai.catalog.models import GazetteIssue, KeyAreaColumn, ServiceItem, ServicePackage  # noqa: PLC0415

    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", "--no-documents")
    call_command("demo", "--no-documents")  # idempotent
    government = Organisation.objects.get(code="DEMO00001")
    assert KeyAreaColumn.objects.filter(organisation=government).count() == 12
    budget = selectors.column_state(column=KeyAreaColumn.objects.get(organisation=government, slug="yujuesuan"))
    assert budget.count >= 8 and any("部门决算未公开" in f for f in budget.findings)
    project = selectors.column_state(column=KeyAreaColumn.objects.get(organisation=government, slug="zhongda-xiangmu"))
    assert dict(project.stages) == {"批准": 1, "实施": 1, "竣工": 0}
    assert ServiceItem.objects.filter(state="published").count() == 5
    draft = ServiceItem.objects.get(code="SC-0002")
    assert draft.state == "draft" and "办理地点" in selectors.service_item_missing(item=draft)
    assert ServicePackage.objects.count() == 3
    issues = GazetteIssue.objects.filter(organisation=government, state="published")
    assert issues.count() == 2 and all(i.pdf and i.pages >= 3 for i in issues)
