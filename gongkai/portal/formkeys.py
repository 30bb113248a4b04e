"""Idempotency keys of the public forms, bound to the session that got the form (issue 15.4).

A form carries a key issued with it (`form_key_issue`); a POST is accepted only with a key this session
was given (`form_key_ours`), so a used key posted from another browser files nothing and shows nothing.
The service stores the key's digest (`core.tracking.idempotency_digest`) with what it filed: a double
submit or Back + resubmit in the same session returns the first record and files nothing. Used by the
依申请公开 form and the 政民互动 message form.
"""

from __future__ import annotations

from django.http import HttpRequest

from gongkai.core.tracking import idempotency_key_new

SESSION_FORM_KEYS = "yisq_form_keys"  # the name from before the 留言 form shared it; kept so live sessions work
FORM_KEYS_KEPT = 10


def form_key_issue(request: HttpRequest) -> str:
    key = idempotency_key_new()
    request.session[SESSION_FORM_KEYS] = [*request.session.get(SESSION_FORM_KEYS, []), key][-FORM_KEYS_KEPT:]
    return key


def form_key_ours(request: HttpRequest, key: str) -> bool:
    return bool(key) and key in request.session.get(SESSION_FORM_KEYS, [])
