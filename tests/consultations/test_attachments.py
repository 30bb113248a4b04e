"""Attachments of a consultation: the library's type and size limits, personal data in a file keeps the
draft unpublished, removal after publication needs a reason, the public download only once published,
the upload from the workspace and the list in the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.consultations import services
from gongkai.consultations.models import Attachment, Consultation
from gongkai.core.models import AuditEvent

from .conftest import TODAY, make_consultation

pytestmark = pytest.mark.django_db

BACKGROUND = "起草背景：本市养犬数量逐年增加，犬只伤人事件时有发生。".encode()
WITH_PERSON = "附：投诉人张三，身份证号 11010519491231002X，手机 13812345678。".encode()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_a_clean_file_is_stored_with_its_digest_and_audited(department, editor):
    draft = make_consultation(department, editor, publish=False)
    attachment = services.consultation_attach(consultation=draft, by=editor, file=upload("背景材料.txt", BACKGROUND))
    assert attachment.findings == [] and attachment.size == len(BACKGROUND) and len(attachment.token) == 32
    assert attachment.extension == ".txt" and attachment.name == "背景材料.txt"
    assert AuditEvent.objects.filter(action="consultation.attach").count() == 1
    services.consultation_publish(consultation=draft, by=editor, today=TODAY)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("草案.exe", b"MZ", "不支持的附件类型"),
    ("空.txt", b"", "空文件"),
])
def test_files_the_library_would_refuse_are_refused(department, editor, name, content, message):
    draft = make_consultation(department, editor, publish=False)
    with pytest.raises(ValidationError) as exc:
        services.consultation_attach(consultation=draft, by=editor, file=upload(name, content))
    assert message in " ".join(exc.value.messages)
    assert not Attachment.objects.exists()


def test_personal_data_in_a_file_keeps_the_draft_unpublished(department, editor):
    draft = make_consultation(department, editor, publish=False)
    bad = services.consultation_attach(consultation=draft, by=editor, file=upload("投诉材料.txt", WITH_PERSON))
    assert bad.blocks_publication
    assert {f["kind"] for f in bad.findings} == {"personal_data"}
    with pytest.raises(ValidationError) as exc:
        services.consultation_publish(consultation=draft, by=editor, today=TODAY)
    assert "投诉材料.txt" in " ".join(exc.value.messages)
    services.consultation_detach(attachment=bad, by=editor)
    services.consultation_publish(consultation=draft, by=editor, today=TODAY)
    assert Consultation.objects.get().state == Consultation.State.PUBLISHED


def test_removing_a_published_file_needs_a_reason(department, editor):
    consultation = make_consultation(department, editor)
    attachment = services.consultation_attach(consultation=consultation, by=editor, file=upload("背景.txt", BACKGROUND))
    with pytest.raises(ValidationError):
        services.consultation_detach(attachment=attachment, by=editor, reason=" ")
    services.consultation_detach(attachment=attachment, by=editor, reason="误传了旧版本")
    event = AuditEvent.objects.get(action="consultation.detach")
    assert event.note == "误传了旧版本" and event.before["sha256"] == attachment.sha256


def test_only_the_drafting_units_staff_may_attach(department, editor, other_editor):
    draft = make_consultation(department, editor, publish=False)
    with pytest.raises(Exception) as exc:
        services.consultation_attach(consultation=draft, by=other_editor, file=upload("背景.txt", BACKGROUND))
    assert exc.type.__name__ == "PermissionDenied"


def test_the_public_downloads_a_file_only_once_the_draft_is_published(department, editor):
    draft = make_consultation(department, editor, publish=False)
    attachment = services.consultation_attach(consultation=draft, by=editor, file=upload("背景材料.txt", BACKGROUND))
    url = reverse("portal:consultation_attachment", args=[attachment.token])
    assert Client().get(url).status_code == 404
    assert Client().get(reverse("portal:consultation_attachment", args=["0" * 32])).status_code == 404
    services.consultation_publish(consultation=draft, by=editor, today=TODAY)
    response = Client().get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == BACKGROUND
    assert "attachment" in response["Content-Disposition"]
    page = Client().get(reverse("portal:consultation", args=[draft.pk])).content.decode()
    assert url in page and "背景材料.txt" in page


def test_staff_upload_from_the_workspace_and_see_the_findings(department, editor):
    draft = make_consultation(department, editor, publish=False)
    client = Client()
    client.force_login(editor)
    action = reverse("workspace:consultation_action", args=[draft.pk, "attach"])
    r = client.post(action, {"file": upload("投诉材料.txt", WITH_PERSON), "name": "群众来信摘录"}, follow=True)
    html = r.content.decode()
    assert "含个人信息" in html and "群众来信摘录" in html
    r = client.post(reverse("workspace:consultation_action", args=[draft.pk, "publish"]), follow=True)
    assert "附件含个人信息" in r.content.decode()
    assert Consultation.objects.get().state == Consultation.State.DRAFT
    attachment = Attachment.objects.get()
    assert client.get(reverse("workspace:consultation_attachment", args=[attachment.pk])).status_code == 200
    client.post(reverse("workspace:consultation_action", args=[draft.pk, "detach"]), {"attachment": attachment.pk})
    assert not Attachment.objects.exists()


def test_the_api_lists_the_files_with_their_public_address(department, editor):
    consultation = make_consultation(department, editor)
    attachment = services.consultation_attach(consultation=consultation, by=editor, file=upload("背景.txt", BACKGROUND))
    data = Client().get(reverse("api:consultation-detail", args=[consultation.pk])).json()
    assert data["attachments"] == [{"name": "背景.txt", "format": "txt", "size": len(BACKGROUND),
                                    "sha256": attachment.sha256,
                                    "url": reverse("portal:consultation_attachment", args=[attachment.token])}]
