"""Issue 17 item 16: the Swagger UI try-out page (/api/v1/docs/try/) works under the site's own CSP in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_lists_the_operations_with_no_csp_errors(live_server, page):
    response = page.goto(live_server.url + "/api/v1/docs/try/")
    assert "script-src 'self'" in response.headers["content-security-policy"]  # the site's policy, no exception
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/documents" in p for p in paths), paths
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    csp = [e for e in page.console_errors if "Content Security Policy" in e or "Refused to" in e]
    assert csp == [], csp
