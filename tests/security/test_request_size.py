"""Issue 15.7: an oversize anonymous upload is refused from its declared length before it is received, and
an address already over the intake limit is refused before its upload is read."""

import io

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from gongkai.core.ratelimit import rate_limit_check

pytestmark = pytest.mark.django_db


class UnreadableBody(io.RawIOBase):
    """A request body that must not be read: reading it fails the test."""

    reads = 0

    def read(self, size=-1):
        UnreadableBody.reads += 1
        raise AssertionError("the body was read")


def post_unread(client, url, length):
    UnreadableBody.reads = 0
    return client.generic("POST", url, b"", content_type="multipart/form-data; boundary=x",
                          CONTENT_LENGTH=str(length), **{"wsgi.input": UnreadableBody()})


def test_a_300_mb_anonymous_upload_is_refused_unread(department):
    url = reverse("applications_portal:apply", args=[department.code])
    response = post_unread(Client(), url, 300 * 1024 * 1024)
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert response["Connection"] == "close" and UnreadableBody.reads == 0


def test_the_cap_leaves_room_for_the_largest_legitimate_intake(settings):
    assert settings.REQUEST_MAX_BYTES >= settings.APPLICATION_INTAKE_MAX_FILES * settings.APPLICATION_INTAKE_FILE_MAX_MB * 1024 * 1024


@override_settings(REQUEST_MAX_BYTES=1024)
def test_the_api_answers_an_oversize_body_in_json():
    response = post_unread(Client(), "/api/v1/consultations/1/opinions", 4096)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


@override_settings(APPLICATION_INTAKE_LIMIT_PER_ADDRESS="2/3600")
def test_an_address_over_the_intake_limit_is_refused_before_its_upload_is_read(department):
    for _ in range(2):
        rate_limit_check(scope="intake_address", key="127.0.0.1", limit="2/3600")
    url = reverse("applications_portal:apply", args=[department.code])
    response = post_unread(Client(), url, 5 * 1024 * 1024)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert UnreadableBody.reads == 0
    # Another address files as usual (its form page is served).
    assert Client(REMOTE_ADDR="10.1.1.1").get(url).status_code == 200
