"""Search fixtures: documents built through the document services; the index follows on commit."""

import pytest
import time_machine

from gongkai.documents import services
from tests.documents.factories import published_document


@pytest.fixture
def publish(committed, department, editor, reviewer):
    def make(title: str, *, organisation=None, at=None, **fields):
        # Back-dated publications are made at that time: document_refresh_state orders events by time, so a
        # "published" event dated before the drafting events would leave the document merely approved.
        if at is None:
            return committed(published_document, organisation=organisation or department, by=editor,
                             reviewer=reviewer, title=title, **fields)
        with time_machine.travel(at, tick=False):
            return committed(published_document, organisation=organisation or department, by=editor,
                             reviewer=reviewer, title=title, **fields)

    return make


@pytest.fixture
def draft(committed, department, editor):
    def make(title: str, **fields):
        return committed(services.document_create, organisation=department, by=editor, title=title, **fields)

    return make
