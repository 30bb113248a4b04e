"""Subscribers made as the public makes them: sign up, open the verification link from the e-mail."""

import re

import pytest
from django.core import mail

from gongkai.subscriptions import services
from gongkai.subscriptions.models import Subscriber

LINK_RE = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    return LINK_RE.findall(message.body)


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def sign_up(committed, email: str, frequency: str = Subscriber.Frequency.IMMEDIATE) -> Subscriber:
    """Sign up and verify through the e-mailed link; the outbox is emptied afterwards."""
    committed(services.subscriber_signup, email=email, consent=True, frequency=frequency, client_address="10.0.0.1")
    verify = [m for m in mail.outbox if email in m.to][-1]
    subscriber = services.subscriber_verify(token=token_of(links_in(verify)[0]))
    mail.outbox.clear()
    return subscriber


@pytest.fixture
def signed_up(committed):
    def make(email: str, frequency: str = Subscriber.Frequency.IMMEDIATE) -> Subscriber:
        return sign_up(committed, email, frequency)

    return make
