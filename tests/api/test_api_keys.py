import datetime as dt

import pytest
from django.utils import timezone

from gongkai.api.models import ApiKey
from gongkai.api.services import api_key_create, api_key_revoke
from gongkai.core.models import AuditEvent

from .conftest import ids

pytestmark = pytest.mark.django_db
URL = "/api/v1/documents"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_key_is_stored_only_as_a_digest(editor):
    api_key, key = api_key_create(user=editor, name="省平台汇聚", by=editor)
    assert key.startswith(f"gk_{api_key.prefix}_")
    stored = ApiKey.objects.get(pk=api_key.pk)
    assert key not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64
    assert AuditEvent.objects.filter(action="api_key.create").exists()


def test_integrator_with_a_key_reads_the_staff_scope(api, library, editor):
    _, key = api_key_create(user=editor, name="省平台汇聚", by=editor)
    seen = set(ids(api.get(URL, {"scope": "staff", "page_size": 100}, **bearer(key))))
    assert library.draft.pk in seen and library.other_draft.pk not in seen
    assert api.get(f"{URL}/{library.draft.pk}", **bearer(key)).status_code == 200
    assert api.get(f"{URL}/{library.other_draft.pk}", **bearer(key)).status_code == 404
    assert ApiKey.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer gk_000000000000_wrong", "Bearer not-a-key", "Bearer"])
def test_bad_key_is_a_401(api, library, header):
    response = api.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("API 密钥")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_tampered_secret_with_a_real_prefix_is_refused(api, library, editor):
    _, key = api_key_create(user=editor, name="汇聚", by=editor)
    assert api.get(URL, **bearer(key[:-2] + "xx")).status_code == 401


def test_revoked_and_expired_keys_are_refused(api, library, editor):
    revoked, revoked_key = api_key_create(user=editor, name="旧系统", by=editor)
    api_key_revoke(api_key=revoked, by=editor)
    response = api.get(URL, **bearer(revoked_key))
    assert response.status_code == 401 and "吊销" in response.json()["error"]["message"]
    expiring, expiring_key = api_key_create(user=editor, name="临时", by=editor,
                                            expires_at=timezone.now() + dt.timedelta(days=1))
    ApiKey.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api.get(URL, **bearer(expiring_key))
    assert response.status_code == 401 and "过期" in response.json()["error"]["message"]


def test_api_key_command_issues_lists_and_revokes_through_the_gongkai_console_command(api, library, editor, capsys):
    """`gongkai api-key …` as a user types it: the dispatcher turns the hyphen into Django's underscore."""
    from gongkai.__main__ import main

    main(["api-key", "create", "editor", "--name", "省平台汇聚", "--days", "30"])
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert api.get(URL, {"scope": "staff"}, **bearer(key)).status_code == 200
    prefix = ApiKey.objects.get().prefix
    main(["api-key", "list"])
    listed = capsys.readouterr().out
    assert prefix in listed and key not in listed
    main(["api-key", "revoke", prefix])
    assert api.get(URL, **bearer(key)).status_code == 401
