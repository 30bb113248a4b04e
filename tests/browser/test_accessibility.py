"""Issue 27: every public page, generated from the URL configuration, in real headless Chromium.

The demo (without the library, plus two documents) gives each page something to show. Every named
portal pattern is visited, at 375 px in normal and then elderly mode: no serious or critical axe violation
(WCAG 2.0/2.1 A and AA and best practice), no sideways scrolling at 320 px (reflow, WCAG 1.4.10), every
control at least 44 × 44 px (48 in elderly mode) unless it is a link inside a sentence (WCAG 2.5.8), one
h1, and a title that names the page and the site. A pattern that is not an HTML page (a feed, a file, a
POST-only action) is listed in NOT_PAGES with its reason; a new pattern with parameters must get an entry
in `page_kwargs`, or the test fails — so a new page cannot be missed.
"""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.core.models import Organisation
from gongkai.documents import services as documents
from gongkai.opendata import services as opendata
from gongkai.portal import disclosure
from gongkai.qa import services as qa
from gongkai.qa.models import Entry
from gongkai.reports import services as reports
from tests.documents.factories import published_document

from .conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The seed data of the migrations, which a transactional test before this one may have flushed; each seed
# function is idempotent (get_or_create), and the demo needs them all.
SEEDS = [
    ("gongkai.documents.migrations.0002_topics", "load_topics"),
    ("gongkai.core.migrations.0003_calendar", "create_state_row"),
    ("gongkai.consultations.migrations.0002_period_rules", "seed"),
    ("gongkai.opendata.migrations.0002_seed_domains", "seed"),
    ("gongkai.oversight.migrations.0002_seed_clocks", "seed"),
]

NOT_PAGES = {
    "portal:elderly_toggle": "switches the mode and redirects",
    "portal:suggest": "JSON suggestions for the search box",
    "portal:attachment": "file download",
    "portal:consultation_attachment": "file download",
    "portal:opendata_download": "file download",
    "portal:opendata_download_granted": "file download with a granted token",
    "portal:qa_feedback": "POST-only rating of an answer",
    "portal:error_report_done": "confirmation reached only after a report (its page is the form's next step)",
    "portal:interaction_done": "confirmation reached only after sending a message",
    "portal:interview_photo": "image file of an interview (shown with its alt text on the interview page)",
    "portal:subscriptions_delete": "POST-only deletion of the subscriber's data",
    "portal:subscriptions_logout": "POST-only log-out",
    "portal:subscriptions_remove": "POST-only removal of one subscription",
    "portal:subscriptions_login_link": "signed one-time link (a one-button page, like unsubscribe)",
    "portal:subscriptions_manage": "signed link (a one-button page, like unsubscribe)",
    "portal:subscriptions_verify": "signed one-time link (redirects)",
    "portal:subscriptions_unsubscribe": "signed one-time link",
    "portal:subscriptions_not_relevant": "signed one-time link",
    "portal:subscriptions_account": "needs a verified subscriber's session (tests/subscriptions cover it)",
    "portal:subscriptions_profile": "needs a verified subscriber's session",
    "portal:subscriptions_profile_new": "needs a verified subscriber's session",
    "portal:subscriptions_export": "a JSON download of the subscriber's data",
    "portal:subscriptions_add": "needs a verified subscriber's session (redirects to the sign-up page)",
    "applications_portal:done": "shown once after filing, with the secret (tests/browser/test_applications_a11y.py)",
    "applications_portal:status": "needs the applicant's secret (tests/browser/test_applications_a11y.py)",
    "applications_portal:reply": "needs the applicant's secret (tests/browser/test_applications_a11y.py)",
    "applications_portal:supplement": "POST-only supplement (the form is on the status page)",
    "applications_portal:letter": "file download",
    "applications_portal:letter_attachment": "file download",
    "applications_portal:recover_link": "signed one-time link from the recovery e-mail",
}
NOT_HTML_SUFFIXES = (".atom", ".xml", ".pdf", ".xlsx", ".csv", ".txt", ".<str:fmt>")

TAP_TARGETS = r"""() => {
  const min = document.documentElement.classList.contains('elderly') ? 48 : 44;
  const out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || (r.width === 0 && r.height === 0)) continue;
    if (el.classList.contains('skip-link') || r.width <= 1 || r.height <= 1) continue;  // shown only on focus
    if (el.tagName === 'A' && style.display === 'inline') {
      // WCAG 2.5.8: a link inside a sentence is sized by the text around it.
      const block = el.closest('p, li, dd, td, th, div, span, label');
      const own = (el.innerText || '').trim().length;
      if (block && (block.innerText || '').trim().length > own + 1) continue;
    }
    let box = r;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      // The label is part of the target: a tap on it ticks the box.
      const l = el.labels[0].getBoundingClientRect();
      box = {width: Math.max(l.width, r.width), height: Math.max(l.height, r.height)};
    }
    if (box.height < min - 0.5 || box.width < min - 0.5) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ')[0] : ''} "${(el.innerText || el.value || el.name || '').trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return out;
}"""


def public_url_names() -> dict[str, str]:
    """Every named portal pattern (not under workspace/, api/, admin/) → its route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str | None) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and not route.startswith(("workspace/", "api/", "admin/")):
                found[f"{namespace}:{p.name}" if namespace else p.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def page_kwargs() -> dict[str, dict]:
    """Parameters of the pages with parameters, from the demo data."""
    from gongkai.catalog.models import GazetteIssue, KeyAreaColumn, ServiceItem, ServicePackage
    from gongkai.consultations.models import Consultation, DecisionItem
    from gongkai.documents.models import Document, Interpretation
    from gongkai.interaction.models import Interview, Mailbox, Message, Survey
    from gongkai.opendata.models import Dataset
    from gongkai.qa.models import Entry

    government = Organisation.objects.get(code="DEMO00001")
    document = Document.objects.filter(status="published").order_by("id").first()
    item = DecisionItem.objects.filter(catalogue_published_at__isnull=False).first()
    issue = GazetteIssue.objects.filter(state="published").order_by("-year", "-number").first()
    column = KeyAreaColumn.objects.filter(organisation__isnull=False).first()
    dataset = Dataset.objects.filter(state="published").first()
    code = {"code": government.code}
    return {
        "portal:column": code, "portal:column_apply": code, "portal:column_guide": code,
        "portal:column_proactive": code, "portal:column_reports": code, "portal:column_system": code,
        "portal:column_category": {**code, "key": next(iter(disclosure.BY_KEY))},
        "portal:catalogue": code, "portal:catalogue_changes": code, "portal:key_area_columns": code,
        "portal:key_area_column": {"code": column.organisation.code, "slug": column.slug},
        "applications_portal:apply": {"code": Organisation.objects.get(code="DEMO00003").code},
        "portal:consultation": {"pk": Consultation.objects.filter(state="published").first().pk},
        "portal:decision_catalogue": {"code": item.catalogue_owner.code, "year": item.year},
        "portal:document": {"index_no": document.index_no},
        "portal:document_print": {"index_no": document.index_no},
        "portal:interpretation": {"pk": Interpretation.objects.filter(state="published").first().pk},
        "portal:gazette_issue": {"year": issue.year, "number": issue.number},
        "portal:interaction_box": {"slug": Mailbox.objects.filter(is_active=True).first().slug},
        "portal:interaction_reply": {"pk": Message.objects.filter(status="published").first().pk},
        "portal:interview": {"pk": Interview.objects.order_by("-starts_at").first().pk},
        "portal:survey": {"pk": Survey.objects.order_by("-opens_on").first().pk},
        "portal:opendata_dataset": {"name": dataset.name},
        "portal:opendata_request": {"name": Dataset.objects.filter(access_level="conditional", state="published").first().name},
        "portal_reports:detail": {"code": "DEMO00003", "year": 2025},
        "portal:qa_entry": {"pk": Entry.objects.filter(state="published").first().pk},
        "portal:service": {"code": ServiceItem.objects.filter(state="published").first().code},
        "portal:service_package": {"slug": ServicePackage.objects.filter(published=True).first().slug},
    }


@pytest.fixture
def world(db, settings, tmp_path):
    """The demo without its library, and two published documents (one normative, with its interpretation)."""
    settings.DATA_DIR = tmp_path
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    call_command("demo", "--no-documents", verbosity=0)
    if not Entry.objects.filter(state="published").exists():  # the demo's Q&A base comes from ../shared/data
        qa.qa_entry_publish(entry=qa.qa_entry_save(
            question="小学一年级入学报名需要哪些材料？", answer="需要户口簿、房产证明或居住证和儿童预防接种证。",
            department="示例市教育局", topics=["教育"]), by=None, check_roles=False)
    department = Organisation.objects.get(code="DEMO00003")
    published_document(organisation=department, by=None, title="示例市教育局关于做好2026年秋季学期开学工作的通知",
                       doc_number="示教发〔2026〕5号", body="<p>各区教育局：</p><p>现就秋季学期开学工作通知如下。</p>")
    normative = published_document(organisation=department, by=None, title="示例市中小学校安全管理办法",
                                   doc_number="示教规〔2026〕1号", genre="normative",
                                   body="<p>第一条 为了加强中小学校安全管理，制定本办法。</p>")
    documents.interpretation_publish(interpretation=normative.interpretations.get(), by=None)
    government = Organisation.objects.get(code="DEMO00001")
    conditional = opendata.dataset_create(by=None, organisation=government, name="qiye-minglu", title="企业名录",
                                          access_level="conditional", access_reason="仅供科研使用")
    opendata.resource_create(by=None, dataset=conditional, name="名录", upload=SimpleUploadedFile("q.csv", b"a,b\n1,2\n"))
    opendata.dataset_transition(by=None, dataset=conditional, action="publish")
    # A published annual report (the demo publishes none), through the real workflow: draft from the records,
    # the sections and table-two figures the completeness check asks for, submit, a second person's approval.
    report = reports.report_draft_create(organisation=department, year=2025, by=None)
    report = reports.report_update(report=report, by=None, section5="无。本年度未发现需要整改的问题。", licensing_decisions=0,
                                   penalty_decisions=0, enforcement_decisions=0, fees_amount=0)
    report = reports.report_approve(report=reports.report_submit(report=report, by=None),
                                    by=get_user_model().objects.get(username="admin"))
    reports.report_publish(report=report, by=None, accept_warnings="演示数据，无上年度报告可比对")


def public_title_problems(page, titles: dict[str, str]) -> dict[str, str]:
    """Public titles name the page and the site, and no two pages share one (WCAG 2.4.2)."""
    site = page.evaluate("document.querySelector('.brand span').innerText")
    problems: dict[str, str] = {}
    seen: dict[str, str] = {}
    for name, title in titles.items():
        if site not in title and name != "portal:home":
            problems[f"{name} title"] = f"{title!r} does not name the site"
        if title in seen:
            problems[f"{name} title"] = f"{title!r} is also the title of {seen[title]}"
        seen.setdefault(title, name)
    return problems


def sweep(page, base_url: str, *, elderly: bool, kwargs: dict[str, dict], width: int = 375,
          routes: dict[str, str] | None = None, not_pages: dict[str, str] = NOT_PAGES,
          title_problems=public_title_problems, wait_for: str | None = None) -> tuple[list[str], dict[str, object]]:
    """Visit every page of `routes` (default: every public page) at `width` px (and 320 px for reflow);
    return the pages visited and the problems. The staff sweep (test_accessibility_staff.py) calls it too."""
    routes = public_url_names() if routes is None else routes
    page.set_viewport_size({"width": width, "height": 800})
    if elderly:
        page.goto(base_url + reverse("portal:elderly_toggle") + "?mode=on&next=/")
    problems: dict[str, object] = {}
    titles: dict[str, str] = {}
    visited = []
    for name, route in sorted(routes.items()):
        if name in not_pages or route.endswith(NOT_HTML_SUFFIXES) or ".<" in route:
            continue
        if "<" in route and name not in kwargs:
            problems[name] = f"new page with parameters ({route}): give it parameters in page_kwargs or a reason in NOT_PAGES"
            continue
        url = reverse(name, kwargs=kwargs.get(name))
        response = page.goto(base_url + url)
        if response is None or response.status != 200 or "html" not in (response.headers.get("content-type") or ""):
            problems[name] = f"{url}: HTTP {response and response.status} {response and response.headers.get('content-type')}"
            continue
        if page.url != base_url + url and "?" not in url:
            problems[name] = f"{url}: redirected to {page.url}"
            continue
        page.wait_for_load_state("load")
        if wait_for:  # a page drawn by script
            page.wait_for_selector(wait_for, timeout=15000)
        visited.append(name)
        if ("elderly" in (page.locator("html").get_attribute("class") or "")) is not elderly:
            problems[f"{name} mode"] = "elderly mode not kept"
        serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe_violations(page)
                   if v["impact"] in ("serious", "critical")]
        if serious:
            problems[f"{name} axe"] = serious
        if small := page.evaluate(TAP_TARGETS):
            problems[f"{name} tap targets"] = small[:6] + ([f"… {len(small) - 6} more"] if len(small) > 6 else [])
        if page.locator("h1").count() != 1:
            problems[f"{name} h1"] = page.locator("h1").count()
        titles[name] = page.title()
        page.set_viewport_size({"width": 320, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems[f"{name} reflow"] = f"scrolls sideways by {overflow}px at 320 px"
        page.set_viewport_size({"width": width, "height": 800})
    problems.update(title_problems(page, titles))
    return visited, problems


def test_every_public_page_is_usable_on_a_phone_in_both_modes(live_server, browser, world):
    # Both modes in one test: the demo is built once (a second flush would also drop migration data).
    kwargs = page_kwargs()
    for elderly in (False, True):
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN", is_mobile=True,
                                      has_touch=True)
        visited, problems = sweep(context.new_page(), live_server.url, elderly=elderly, kwargs=kwargs)
        context.close()
        assert len(visited) >= 40, visited
        assert problems == {}, ("elderly mode: " if elderly else "normal mode: ") + "\n".join(
            f"{k}: {v}" for k, v in problems.items())
