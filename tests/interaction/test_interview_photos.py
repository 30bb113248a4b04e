"""Issue 21: 在线访谈 photos — staff upload with the library's size/type rules and the attachment scan, alt text
required, shown on the interview page (announced and archived) and in the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.models import AuditEvent, Role
from gongkai.interaction import services
from gongkai.interaction.models import InterviewPhoto
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def host(department):
    return make_user("host", department, Role.HANDLER)


@pytest.fixture
def interview(department, host):
    now = timezone.now()
    return services.interview_create(by=host, organisation=department, title="义务教育招生政策解读", guests="王明，局长",
                                     starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(hours=1))


def add(interview, by, name="现场.jpg", content=JPEG, alt="局长在访谈现场回答网友提问", caption=""):
    return services.interview_photo_add(interview=interview, by=by, file=SimpleUploadedFile(name, content), alt=alt,
                                        caption=caption)


@pytest.mark.parametrize("name,content,alt,error", [
    ("a.jpg", JPEG, "  ", "替代文本"),
    ("a.exe", b"MZ", "图", "不支持的附件类型"),  # the library's type rule (settings.ATTACHMENT_EXTENSIONS)
    ("a.pdf", b"%PDF-1.4", "图", "只能是"),  # allowed in the library, but not a picture
    ("a.png", JPEG, "图", "内容与扩展名不符"),
    ("a.jpg", b"", "图", "空文件"),
])
def test_photo_limits(interview, host, name, content, alt, error):
    with pytest.raises(ValidationError, match=error):
        add(interview, host, name=name, content=content, alt=alt)
    assert InterviewPhoto.objects.count() == 0


def test_photo_size_limit_is_the_librarys(interview, host, settings):
    settings.ATTACHMENT_MAX_MB = 1
    with pytest.raises(ValidationError, match="1 MB"):
        add(interview, host, content=JPEG + b"0" * (1024 * 1024))


def test_alt_text_is_checked_and_only_staff_of_the_organisation_upload(interview, host):
    with pytest.raises(ValidationError):
        add(interview, host, alt="嘉宾身份证号 110101199003074514")  # personal data in a public text
    with pytest.raises(PermissionDenied):
        add(interview, make_user("stranger"))


def test_photo_is_scanned_stored_under_a_random_name_and_audited(interview, host, monkeypatch):
    seen = []
    real = services.attachment_hits
    monkeypatch.setattr(services, "attachment_hits", lambda a: seen.append(a) or real(a))
    photo = add(interview, host, caption="访谈现场")
    assert seen == [photo]  # the content checks' attachment scan
    assert photo.scan == [] and "现场" not in photo.file.name and len(photo.sha256) == 64
    assert AuditEvent.objects.filter(action="interaction.interview_photo_add").count() == 1


def test_photos_on_the_public_page_the_archive_and_the_api(client, interview, host):
    photo = add(interview, host, name="guest.png", content=PNG, caption="访谈现场")
    page = client.get(f"/hudong/fangtan/{interview.pk}/").content.decode()  # ended, transcript not yet published
    src = f"/hudong/fangtan/{interview.pk}/tupian/{photo.pk}/"
    assert f'src="{src}" alt="局长在访谈现场回答网友提问"' in page and "<figcaption>访谈现场</figcaption>" in page
    r = client.get(src)
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PNG
    assert client.get(f"/hudong/fangtan/{interview.pk + 1}/tupian/{photo.pk}/").status_code == 404

    services.interview_transcript_save(interview=interview, by=host, text="主持人：欢迎。\n王明：谢谢。")
    services.interview_transcript_publish(interview=interview, by=host)
    archived = client.get(f"/hudong/fangtan/{interview.pk}/").content.decode()
    assert "文字实录" in archived and src in archived
    api = client.get("/api/v1/interaction/interviews").json()["results"][0]
    assert api["photos"] == [{"url": src, "alt": "局长在访谈现场回答网友提问", "caption": "访谈现场"}]


def test_staff_upload_and_remove_through_the_workspace(client, interview, host):
    client.force_login(host)
    url = f"/workspace/interaction/fangtan/{interview.pk}/"
    r = client.post(url + "photo/", {"photo": SimpleUploadedFile("p.jpg", JPEG), "alt": ""})
    assert r.status_code == 400 and InterviewPhoto.objects.count() == 0
    r = client.post(url + "photo/", {"photo": SimpleUploadedFile("p.jpg", JPEG), "alt": "访谈现场"})
    assert r.status_code == 302
    photo = InterviewPhoto.objects.get()
    page = client.get(url).content.decode()
    assert 'alt="访谈现场"' in page and "内容检查" in page
    assert client.post(url + "photo-remove/", {"photo": photo.pk}).status_code == 302
    assert InterviewPhoto.objects.count() == 0
