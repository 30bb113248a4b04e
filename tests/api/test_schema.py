import json
import re

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api):
    response = api.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_a_valid_openapi_3_document(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_schema_lists_the_endpoints(schema):
    for path in ("/api/v1/documents", "/api/v1/documents/{id}", "/api/v1/documents/by-index-no/{index_no}",
                 "/api/v1/organisations", "/api/v1/organisations/{code}", "/api/v1/topics", "/api/v1/enumerations"):
        assert path in schema["paths"], path


def test_schema_describes_the_list_parameters_with_enums(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/documents"]["get"]["parameters"]}
    assert {"scope", "issuer", "organisation", "include_descendants", "topic", "genre", "validity", "year",
            "published_after", "published_before", "doc_number", "index_no", "sort", "page", "page_size"} <= set(parameters)
    assert "normative" in parameters["genre"]["schema"]["enum"]
    assert parameters["published_after"]["schema"]["format"] == "date"
    assert parameters["year"]["schema"]["type"] == "integer"


def test_schema_describes_the_list_response(schema):
    response = schema["paths"]["/api/v1/documents"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(response)
    item = schema["components"]["schemas"]["DocumentListItem"]["properties"]
    assert {"id", "external_id", "title", "doc_number", "issuer", "published_at", "validity", "url", "snippet", "score"} <= set(item)


def test_schema_declares_the_api_key_scheme(schema):
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_docs_page_lists_every_operation_of_the_schema_without_script(client, db, schema):
    html = client.get("/api/v1/docs/").content.decode()
    operations = [(method.upper(), path) for path, item in schema["paths"].items() for method in item
                  if method in ("get", "post", "put", "patch", "delete")]
    assert len(operations) > 40
    for method, path in operations:
        assert f"<code>{method} {path}</code>" in html, (method, path)
    assert "参数 genre" not in html and "<caption>参数</caption>" in html
    assert 'href="/api/v1/docs/try/"' in html and 'href="/api/v1/schema/"' in html
    assert "swagger-ui-bundle" not in html


def test_swagger_try_page_uses_only_local_assets(client, db):
    response = client.get("/api/v1/docs/try/")
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in links
    assert all(link.startswith("/") and not link.startswith("//") for link in links), links
    assert "<style" not in html and "<script>" not in html  # nothing inline: the site's CSP applies unchanged
    script = client.get("/api/v1/docs/try/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_schema_generates_without_warnings(db, tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/documents:" in (tmp_path / "schema.yaml").read_text()
