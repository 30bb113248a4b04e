"""Fixtures for the back-office pages: logged-in clients and documents in each state."""

import pytest
from django.test import Client

from gongkai.documents import services


@pytest.fixture
def login():
    """A test client logged in as the given user."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def draft(department, editor):
    return services.document_create(organisation=department, by=editor, title="关于做好春季学期开学工作的通知",
                                    doc_number="测教发〔2026〕3号")


@pytest.fixture
def other_draft(other_department, other_editor):
    return services.document_create(organisation=other_department, by=other_editor, title="财政局内部草稿")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
