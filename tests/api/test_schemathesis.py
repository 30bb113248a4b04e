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

from gongkai.core.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8


def _load_schema():
    """The schema `/api/v1/schema/` serves (drf-spectacular), bound to the in-process WSGI application."""
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.renderers import JSONRenderer

    document = json.loads(JSONRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


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
def test_issue15_6_every_api_operation_conforms_to_its_schema_and_never_fails(case, staff_headers):
    case.call_and_validate()
    case.call_and_validate(headers=staff_headers)
