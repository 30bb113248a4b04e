"""Issue 27: every staff page, the API docs page and the public pages at 1280 px, in real headless Chromium.

The same sweep as the public pages (`test_accessibility.sweep`): no serious or critical axe violation, every
control at least 44 × 44 px, no sideways scrolling at 320 px, one h1, and a title. The staff list is every
named pattern under workspace/ in the URL configuration, visited as the demo's platform administrator (signed
in with the password, as the other browser tests do: the second factor is off in test settings and is tested
in tests/security/test_second_factor.py), at 375 and 1280 px. The workspace has no elderly mode (it is for
staff at their desks; 工信部 适老化 applies to public services), so staff pages are swept in one mode. A
pattern that is not a page (POST-only, a file) is in STAFF_NOT_PAGES with its reason; a new pattern with
parameters fails the test until it gets parameters in `staff_kwargs` or a reason.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from gongkai.core.models import Organisation

from .test_accessibility import page_kwargs, sweep, world  # noqa: F401  (world is a fixture)
from .test_workspace_layout import NOT_PAGES as LAYOUT_NOT_PAGES

SITE = "政务公开平台"  # PLATFORM_NAME (gongkai/core/context_processors.py)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_NOT_PAGES = {
    **LAYOUT_NOT_PAGES,
    "workspace:login": "swept signed out (test_the_staff_login_page_and_the_api_docs)",
    "workspace:oversight_plan_draft": "the demo's work plan has no linked document, so the draft page redirects to the "
                                      "plan; its parsing and form are tested in tests/oversight/test_plan_text.py",
    "workspace:oversight_task_milestone": "POST-only action (the form is on the plan page)",
    "workspace:oversight_task_milestone_done": "POST-only action (the button is on the plan page)",
    "workspace:second_factor": "redirects while the second factor is off; its form is tested in tests/security",
    "workspace:second_factor_setup": "redirects while the second factor is off; tested in tests/security",
    "workspace:catalog_adopt": "POST-only action (the form is on the catalogue overview)",
    "workspace:catalog_columns_seed": "POST-only action (the form is on the column list)",
    "workspace:catalog_gazette_publish": "POST-only action (the form is on the issue page)",
    "workspace:catalog_service_publish": "POST-only action (the form is on the service page)",
    "workspace:consultation_action": "POST-only action",
    "workspace:consultation_attachment": "file download",
    "workspace:opinion_moderate": "POST-only action (the forms are on the consultation page)",
    "workspace:group_moderate": "POST-only action (the forms are on the consultation page)",
    "workspace:group_answer": "POST-only action (the forms are on the consultation page)",
    "workspace:decision_action": "POST-only action",
    "workspace:interaction_attachment": "file download",
    "workspace:interaction_message_action": "POST-only action (the forms are on the message page)",
    "workspace:interaction_report_action": "POST-only action (the forms are on the report page)",
    "workspace:interaction_interview_action": "POST-only action (the forms are on the interview page)",
    "workspace:opendata_resource_add": "POST-only upload (the form is on the dataset page)",
    "workspace:opendata_schema": "POST-only action (the form is on the dataset page)",
    "workspace:opendata_action": "POST-only action",
    "workspace:opendata_finding": "POST-only action",
    "workspace:opendata_access_decide": "POST-only action (the form is on the requests page)",
}


def staff_url_names() -> dict[str, str]:
    """Every named pattern under workspace/ → its route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and route.startswith("workspace/"):
                found[f"{namespace}:{p.name}" if namespace else p.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def staff_kwargs() -> dict[str, dict]:
    """Parameters of the staff pages with parameters, from the demo data (and the sweep's own world)."""
    from gongkai.applications.letter_models import Letter
    from gongkai.applications.models import Application
    from gongkai.catalog.models import AdoptedItem, GazetteIssue, KeyAreaColumn, ServiceItem, ServicePackage
    from gongkai.consultations.models import Consultation, DecisionItem
    from gongkai.documents.models import Document, Interpretation
    from gongkai.interaction.models import ErrorReport, Interview, Mailbox, Message, Survey
    from gongkai.opendata.models import Dataset
    from gongkai.oversight import conf as oversight_conf
    from gongkai.oversight.models import AssessmentResult, Incident, Rectification, WorkPlan
    from gongkai.qa.models import Entry
    from gongkai.reports.models import AnnualReport

    def pk(model, **filters):
        found = model.objects.filter(**filters).order_by("pk").first()
        assert found is not None, f"the demo has no {model.__name__} {filters or ''}"
        return {"pk": found.pk}

    government = Organisation.objects.get(code="DEMO00001")
    application = pk(Application)
    return {
        "applications_workspace:detail": application,
        "workspace:letters_case": application, "workspace:letters_fees": application,
        "workspace:letter_edit": pk(Letter),
        "workspace:document_detail": pk(Document), "workspace:document_edit": pk(Document, status="draft"),
        "workspace:interpretation_detail": pk(Interpretation), "workspace:interpretation_edit": pk(Interpretation, state="draft"),
        "workspace:compliance_findings": {"organisation_id": government.pk},
        "workspace:catalog_item_edit": pk(AdoptedItem), "workspace:catalog_column_edit": pk(KeyAreaColumn),
        "workspace:catalog_gazette_edit": pk(GazetteIssue), "workspace:catalog_service_edit": pk(ServiceItem),
        "workspace:catalog_package_edit": pk(ServicePackage),
        "workspace:consultation_detail": pk(Consultation), "workspace:consultation_edit": pk(Consultation),
        "workspace:decision_detail": pk(DecisionItem),
        "workspace:interaction_box_edit": pk(Mailbox), "workspace:interaction_message": pk(Message),
        "workspace:interaction_report": pk(ErrorReport), "workspace:interaction_interview": pk(Interview),
        "workspace:interaction_survey": pk(Survey),
        "workspace:opendata_detail": pk(Dataset),
        "workspace:oversight_agency": {"pk": government.pk},
        "workspace:oversight_items": {"pk": government.pk, "code": next(iter(oversight_conf.INDICATOR_BY_CODE))},
        "workspace:oversight_result": pk(AssessmentResult), "workspace:oversight_plan": pk(WorkPlan),
        "workspace:oversight_rectification": pk(Rectification), "workspace:oversight_incident": pk(Incident),
        "workspace:qa_detail": pk(Entry), "workspace:qa_edit": pk(Entry),
        "workspace_reports:detail": pk(AnnualReport),
    }


def staff_title_problems(page, titles: dict[str, str]) -> dict[str, str]:
    """A staff title names the page once and ends with one suffix, 「 · <site>工作台」 (WCAG 2.4.2)."""
    site = SITE
    suffix = f" · {site}工作台"
    problems = {}
    for name, title in titles.items():
        if not title.endswith(suffix) or title.count(site) != 1 or title.count("工作台") != 1 or title == suffix.lstrip(" ·"):
            problems[f"{name} title"] = f"{title!r}: not 「<page>{suffix}」"
    return problems


@pytest.fixture
def staff_world(request):
    """The sweep's world, plus a draft document and a draft interpretation (their edit pages are for drafts)."""
    from gongkai.documents import services as documents

    request.getfixturevalue("world")
    department = Organisation.objects.get(code="DEMO00003")
    draft = documents.document_create(organisation=department, by=None, title="示例市教育局关于开展课后服务的通知（草稿）")
    documents.interpretation_create(documents=[draft], organisation=department, by=None,
                                    title="《关于开展课后服务的通知》解读（草稿）", body="<p>解读正文。</p>")


def signed_in_context(browser, base_url: str, *, width: int):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN",
                                  is_mobile=width < 600, has_touch=width < 600)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    return context


def report(problems: dict, label: str) -> str:
    return label + ":\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_every_staff_page_at_both_widths(live_server, browser, staff_world):
    kwargs = staff_kwargs()
    routes = staff_url_names()
    for width in (375, 1280):
        context = signed_in_context(browser, live_server.url, width=width)
        visited, problems = sweep(context.new_page(), live_server.url, elderly=False, kwargs=kwargs, width=width,
                                  routes=routes, not_pages=STAFF_NOT_PAGES, title_problems=staff_title_problems)
        context.close()
        assert len(visited) >= 60, visited
        assert problems == {}, report(problems, f"staff pages at {width} px")


@pytest.mark.usefixtures("world")
def test_every_public_page_at_1280_px_in_both_modes(live_server, browser):
    kwargs = page_kwargs()
    for elderly in (False, True):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        visited, problems = sweep(context.new_page(), live_server.url, elderly=elderly, kwargs=kwargs, width=1280)
        context.close()
        assert len(visited) >= 40, visited
        assert problems == {}, report(problems, f"{'elderly' if elderly else 'normal'} mode at 1280 px")


def api_docs_title_problems(page, titles: dict[str, str]) -> dict[str, str]:
    return {f"{n} title": t for n, t in titles.items() if not (t.startswith("API") and SITE in t)}


@pytest.mark.usefixtures("world")
def test_the_staff_login_page_signed_out(live_server, browser):
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        visited, problems = sweep(context.new_page(), live_server.url, elderly=False, kwargs={}, width=width,
                                  routes={"workspace:login": "workspace/login/"}, not_pages={},
                                  title_problems=staff_title_problems)
        context.close()
        assert visited == ["workspace:login"] and problems == {}, report(problems, f"login at {width} px")


@pytest.mark.usefixtures("world")
def test_the_api_docs_page(live_server, browser):
    """/api/v1/docs/: the server-rendered reference (Swagger UI's own markup, kept at /api/v1/docs/try/ for
    trying requests, nests buttons and fails contrast; it is not the reference any more). Both modes."""
    for width in (375, 1280):
        for elderly in (False, True):
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
            docs, problems = sweep(context.new_page(), live_server.url, elderly=elderly, kwargs={}, width=width,
                                   routes={"api:docs": "api/v1/docs/"}, not_pages={},
                                   title_problems=api_docs_title_problems)
            context.close()
            assert docs == ["api:docs"] and problems == {}, report(problems, f"API docs at {width} px, elderly {elderly}")
