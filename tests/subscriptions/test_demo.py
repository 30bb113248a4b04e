"""The demo's subscriptions: its profiles receive the day's new policies, each e-mail with its reason."""

import pytest
from django.core import mail

from gongkai.subscriptions.demo import load_demo_subscriptions
from gongkai.subscriptions.models import Message, Push

pytestmark = pytest.mark.django_db


def test_demo_pushes_reach_the_demo_profiles(government, committed):
    committed(load_demo_subscriptions, government=government)
    by_address = {m.to[0]: m for m in mail.outbox if m.subject.startswith("【政策推送】")}
    assert "因为您订阅了：我 · 就业 · 高校毕业生" in by_address["graduate.demo@example.com"].body
    assert "示例市小微餐饮企业开办" in by_address["restaurant.demo@example.com"].body
    assert "示例市居家养老服务补贴发放办法" in by_address["family.demo@example.com"].body  # the daily digest
    assert "高新技术企业" in by_address["factory.demo@example.com"].body  # the weekly digest
    assert "示例市小微餐饮企业开办" not in by_address["graduate.demo@example.com"].body
    assert not Message.objects.exclude(state="sent").filter(kind__in=["immediate", "digest"]).exists()
    pushes = Push.objects.count()
    committed(load_demo_subscriptions, government=government)  # again: nothing new
    assert Push.objects.count() == pushes


def test_demo_pushes_can_be_read_in_the_mail_folder(government, committed, tmp_path, settings):
    """Issue 25 "Done when": the demo's pushes can be seen in the e-mail folder (the embedded default backend)."""
    import email
    from email import policy

    settings.EMAIL_BACKEND = "gongkai.core.mail.FileEmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    committed(load_demo_subscriptions, government=government)
    files = sorted((tmp_path / "mail").iterdir())
    assert files
    # one .eml file per message: read each back as a mail client would
    assert all(f.suffix == ".eml" for f in files)
    messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    pushes = {m["To"]: m for m in messages if str(m["Subject"]).strip().startswith("【政策推送】")}
    assert {"graduate.demo@example.com", "restaurant.demo@example.com", "family.demo@example.com",
            "factory.demo@example.com"} <= set(pushes)
    graduate = pushes["graduate.demo@example.com"]
    assert graduate.get_content_type() == "multipart/alternative" and graduate["List-Unsubscribe-Post"]
    text = graduate.get_body(preferencelist=("plain",)).get_content()
    html = graduate.get_body(preferencelist=("html",)).get_content()
    assert "因为您订阅了：我 · 就业 · 高校毕业生" in text and "因为您订阅了：我 · 就业 · 高校毕业生" in html
