"""Issue 17 item 10: every staff page has the workspace layout and is reachable from the menu.

The list of pages is generated from the URL configuration (every pattern under /workspace/), so a new
page is visited without editing this test; a pattern that is not a page to look at (a POST-only action,
a file download, log-out) must be named in NOT_PAGES with its reason, or the test fails.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.applications import letters, services
from gongkai.core.models import Role
from gongkai.documents import services as documents
from gongkai.reports import services as reports
from gongkai.workspace.menu import MENU
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_PAGES = {
    "workspace:logout": "logs out (POST)",
    "workspace:document_review": "POST-only review step",
    "workspace:document_action": "POST-only action",
    "workspace:attachment_download": "file download",
    "applications_workspace:attachment": "file download (a case attachment, decrypted as it streams)",
    "workspace:letter_attach": "POST-only upload (the form is on the letter page)",
    "workspace:letter_attachment_remove": "POST-only removal",
    "workspace:document_attach": "POST-only upload (the form is on the document page)",
    "workspace:interpretation_action": "POST-only action",
    "workspace:audit_export_csv": "file download",
    "workspace:audit_export_jsonl": "file download",
    "workspace:compliance_finding_accept": "POST-only action",
    "workspace:letter_download": "file download",
    "workspace:letters_follow_up": "POST-only record of a follow-up visit (the form is on the case's letters page)",
    "applications_workspace:act": "POST-only action",
    "applications_workspace:note": "POST-only action",
    "applications_workspace:review_request": "POST-only action",
    "applications_workspace:review_decide": "POST-only action",
    "workspace_reports:create": "POST-only action",
    "workspace_reports:action": "POST-only action",
    "workspace_reports:download": "file download",
    "workspace:qa_from_interpretation": "POST-only action (the form is on the Q&A list and the interpretation page)",
    "workspace:qa_from_message": "POST-only action (the form is on the Q&A list)",
    "workspace:qa_merge": "POST-only action (the forms are on the duplicates page)",
    "workspace:qa_action": "POST-only action",
    "workspace:login": "the login page has no menu (nobody is logged in)",
    "workspace:oversight_export": "file download (XLSX, PDF)",
    "workspace:oversight_store": "POST-only action",
    "workspace:oversight_task_report": "POST-only action (the form is on the plan page)",
    "workspace:oversight_rectification_import": "POST-only upload (the form is on the list page)",
    "workspace:oversight_rectification_feed": "POST-only action",
    "workspace:oversight_conference_transcript": "POST-only action (the form is on the list page)",
    "workspace:subscriptions_retry": "POST-only action (the button is on the statistics page)",
    "workspace:subscriptions_tags_confirm": "POST-only action (the forms are on the push-tag page)",
}


def workspace_url_names() -> list[str]:
    """Every named URL pattern whose route starts with workspace/, as namespace:name."""
    names: list[str] = []

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and route.startswith("workspace/"):
                names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "", None)
    return sorted(set(names))


@pytest.fixture
def staff_world(government, department):
    admin = make_user("layout_admin", government, Role.PLATFORM_ADMIN)
    editor = make_user("layout_editor", department, Role.EDITOR)
    handler = make_user("layout_handler", department, Role.HANDLER)
    document = documents.document_create(organisation=department, by=editor, title="关于做好开学工作的通知")
    interpretation = documents.interpretation_create(documents=[document], organisation=department, by=editor,
                                                     title="《关于做好开学工作的通知》解读", body="<p>解读正文。</p>")
    application = services.application_create(
        organisation=department, by=handler, applicant_kind="natural_person", channel="in_person",
        applicant={"name": "张三", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678"},
        description="请公开 2025 年本局行政事业性收费项目清单")
    application = services.application_record_event(application=application, by=handler, type="received",
                                                     occurred_on="2026-09-28")
    services.application_record_event(application=application, by=handler, type="determination",
                                      occurred_on="2026-10-20", fields={"outcome": "disclosed"})
    letter = letters.letter_draft(application=application, kind="reply", by=handler)
    report = reports.report_draft_create(organisation=department, year=2025, by=admin)
    kwargs = {
        "workspace:document_detail": {"pk": document.pk},
        "workspace:document_edit": {"pk": document.pk},
        "workspace:interpretation_detail": {"pk": interpretation.pk},
        "workspace:interpretation_edit": {"pk": interpretation.pk},
        "workspace:compliance_findings": {"organisation_id": department.pk},
        "workspace:letters_case": {"pk": application.pk},
        "workspace:letters_fees": {"pk": application.pk},
        "workspace:letters_follow_up": {"pk": application.pk},
        "workspace:letter_edit": {"pk": letter.pk},
        "applications_workspace:detail": {"pk": application.pk},
        "workspace_reports:detail": {"pk": report.pk},
    }
    return admin, kwargs


def test_every_workspace_page_has_the_layout_and_every_menu_entry_is_a_page(live_server, browser, frozen,
                                                                            staff_world):
    admin, kwargs = staff_world
    client = Client()
    client.force_login(admin)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    visited, problems, uncovered = [], {}, []
    names = workspace_url_names()
    assert "workspace:letters_statistics" in names and "workspace_reports:list" in names
    for name in names:
        if name in NOT_PAGES:
            continue
        try:
            url = reverse(name, kwargs=kwargs.get(name))
        except Exception:  # a page with parameters this test does not build objects for yet (listed below)
            uncovered.append(name)
            continue
        try:
            response = page.goto(live_server.url + url)
        except Exception as exc:  # Chromium refuses to show an error status (405) as a page
            problems[name] = str(exc).splitlines()[0]
            continue
        if response.status != 200:
            problems[name] = f"HTTP {response.status}"
            continue
        visited.append(name)
        checks = {
            "header": page.locator("header.site-header .brand").count() == 1,
            "menu": page.locator("nav.site-nav .menu-group").count() >= 3,
            "main": page.locator("main#main").count() == 1,
            "styles": page.evaluate("getComputedStyle(document.querySelector('header.site-header')).display") != "inline",
            "lang": page.locator("html").get_attribute("lang") == "zh-Hans",
        }
        if missing := [k for k, ok in checks.items() if not ok]:
            problems[name] = f"layout missing: {missing}"
        if name == "workspace_reports:detail":
            border = page.evaluate("getComputedStyle(document.querySelector('table.report-table td')).borderTopStyle")
            if border != "solid":
                problems[name + " table"] = f"report table cells have border {border}"
    assert not problems, problems
    assert len(visited) >= 20, visited
    # Pages with parameters of areas added later (catalog, open data, …) are visited once staff_world builds
    # their objects; every page without parameters is always visited.
    print("not visited (parameters unknown to this test):", uncovered)
    # Every menu entry leads to one of the pages just checked, and the clicked entry is the current one.
    for item in MENU:
        assert item.url_name in visited, item
    page.goto(live_server.url + reverse("workspace:letters_statistics"))
    assert page.locator("nav.site-nav a[aria-current=page]").all_inner_texts() == ["统计"]
    context.close()
