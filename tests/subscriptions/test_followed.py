"""Following a consultation (its adoption feedback) and a dataset (a new version): the periodic check."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.consultations import services as consultations
from gongkai.opendata import services as opendata
from gongkai.subscriptions import services
from gongkai.subscriptions.models import Push, Subscription
from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db


def test_consultation_feedback_and_dataset_versions_are_pushed_once(signed_up, committed, department, editor):
    subscriber = signed_up("follow@example.com")
    consultation = make_consultation(department, editor)
    dataset = opendata.dataset_create(by=None, organisation=department, name="xuexiao", title="学校名录")
    opendata.resource_create(by=None, dataset=dataset, name="名录", upload=SimpleUploadedFile("x.csv", b"a,b\n1,2\n"))
    opendata.dataset_transition(by=None, dataset=dataset, action="publish")
    services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.CONSULTATION, consultation=consultation)
    services.subscription_create(subscriber=subscriber, kind=Subscription.Kind.DATASET, dataset=dataset)
    assert committed(services.followed_check) == 0  # nothing new yet

    consultations.feedback_publish(consultation=consultation, by=editor, summary="未收到意见。",
                                   today=consultation.ends_on + dt.timedelta(days=3))
    opendata.dataset_update(by=None, dataset=dataset, title="学校名录（2026年）")
    assert committed(services.followed_check) == 2
    assert committed(services.followed_check) == 0
    reasons = sorted(Push.objects.values_list("reason", flat=True))
    assert reasons == [f"因为您关注了意见征集《{consultation.title}》", "因为您关注了数据集《学校名录（2026年）》"]
    [message] = mail.outbox
    assert "意见采纳情况已公布" in message.body and "第 2 版" in message.body
