"""Real headless Chromium (Debian's package) driven by Playwright; skipped with a message when absent."""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the fixtures
# in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]

from tests.portal.conftest import _clear_cache, library, organisation  # noqa: E402,F401  (shared fixtures)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("browser tests need Chromium on PATH (Debian: apt-get install chromium); skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the playwright package (pip install -e '.[dev]'); skipped")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def frozen():
    # A Monday inside the packaged 2026 calendar, so every due date is computable; time runs on.
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=True):
        yield


@pytest.fixture
def offices(db):
    """A government and its education bureau, with the disclosure-office details the /yisq/ pages show."""
    from gongkai.core.models import Organisation
    from gongkai.core.services import organisation_create

    government = organisation_create(name="测试市人民政府", code="TEST00001", kind=Organisation.Kind.GOVERNMENT,
                                     disclosure_office_name="测试市人民政府办公室（政务公开办）",
                                     disclosure_office_phone="0571-12345678", disclosure_office_hours="工作日 9:00-17:00")
    department = organisation_create(name="测试市教育局", code="TEST00002", parent=government,
                                     disclosure_office_name="测试市教育局办公室", disclosure_office_address="人民路 1 号",
                                     disclosure_office_phone="0571-87654321", reconsideration_body="测试市人民政府",
                                     court="测试市人民法院")
    return government, department


SERIOUS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"],
                                       "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    return results.response["violations"]


def axe_record(page, key: str, report: dict, problems: dict) -> None:
    """Run axe on the page as it is now: every violation into `report`, serious and critical ones into `problems`."""
    violations = axe_violations(page)
    report[key] = [(v["id"], v["impact"], len(v["nodes"])) for v in violations]
    serious = [v for v in violations if v["impact"] in SERIOUS]
    if serious:
        problems[key] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
