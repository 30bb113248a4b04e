"""Issue 15.6: a property-based run of the whole OpenAPI schema (schemathesis, pinned in the dev extras).

Every operation of `/api/v1/schema/` is called in-process (WSGI) with generated valid and invalid inputs,
anonymously and as a signed-in handler with a CSRF token (so the staff endpoints and writes are reached),
and every response must pass schemathesis' checks: no 5xx, status codes, content types, headers and
bodies as documented. Bounded: MAX_EXAMPLES per operation, fixed seed (derandomize), no example database,
so the run is reproducible and short.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from gongkai.core.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8
# Left out for now: whether the server is as strict as the schema on *inputs* (ST201 an out-of-enum `status` /
# `audience` filter answered 200; ST202 schema-valid bodies refused with 400 by business rules the schema does
# not express). The twelve such findings of 2026-12-03 are listed in docs/security.md; the issue's bar — no 5xx,
# documented status codes, content types and response bodies — is enforced by every other default check.
EXCLUDED = [negative_data_rejection, positive_data_acceptance]


def _load_schema():
    """The schema `/api/v1/schema/` serves (drf-spectacular), bound to the in-process WSGI application."""
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.renderers import JSONRenderer

    document = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def keep_the_test_connection(staff_headers):
    """The WSGI application sends request_started/finished, whose close_old_connections would close the test's
    database connection in the middle of its transaction (PostgreSQL: "the connection is closed"); Django's own
    test client disconnects it the same way (and connects it again after each of its requests, so this runs
    after `staff_headers`)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(db, department):
    handler = make_user("fuzz_handler", department, Role.HANDLER)
    client = Client()
    client.force_login(handler)
    client.get("/workspace/")  # sets the CSRF cookie
    csrf = client.cookies.get("csrftoken")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    headers = {"Cookie": cookie}
    if csrf is not None:
        headers = {"Cookie": f"{cookie}; csrftoken={csrf.value}", "X-CSRFToken": csrf.value}
    return headers


schema = _load_schema()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_issue15_6_every_api_operation_conforms_to_its_schema_and_never_fails(case, staff_headers,
                                                                             keep_the_test_connection):
    case.call_and_validate(excluded_checks=EXCLUDED)
    case.call_and_validate(headers=staff_headers, excluded_checks=EXCLUDED)
