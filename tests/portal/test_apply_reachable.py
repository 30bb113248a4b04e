"""Issue 17 items 1 and 6: the online application form is reachable, only receiving bodies are offered."""

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.models import Organisation
from gongkai.core.selectors import organisations_receiving_applications
from gongkai.core.services import organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def external(db):
    return organisation_create(name="国家法律法规（外部来源）", code="NATIONAL", kind=Organisation.Kind.OTHER,
                               handles_applications=False)


def test_navigation_and_home_lead_to_the_online_form(department):
    start = reverse("applications_portal:start")
    home = Client().get(reverse("portal:home")).content.decode()
    assert home.count(f'href="{start}"') >= 2  # the main navigation and the home page's entry
    page = Client().get(reverse("portal:organisations")).content.decode()
    assert f'href="{start}"' in page
    assert Client().get(start).status_code == 200


def test_organisation_apply_page_offers_the_form_with_the_organisation_preselected(department):
    page = Client().get(reverse("portal:column_apply", kwargs={"code": department.code})).content.decode()
    assert "正在建设中" not in page
    form_url = reverse("applications_portal:apply", args=[department.code])
    assert f'href="{form_url}"' in page
    form = Client().get(form_url).content.decode()
    assert form.count(department.name) >= 1
    guide = Client().get(reverse("portal:column_guide", kwargs={"code": department.code})).content.decode()
    assert f'href="{form_url}"' in guide


def test_one_selector_leaves_out_bodies_that_do_not_handle_applications(government, department, external):
    codes = list(organisations_receiving_applications().values_list("code", flat=True))
    assert codes == [government.code, department.code]
    inactive = organisation_create(name="已撤销的局", code="TEST00099", parent=government, is_active=False)
    assert inactive.code not in set(organisations_receiving_applications().values_list("code", flat=True))


def test_external_source_is_not_offered_on_the_form(department, external):
    start = Client().get(reverse("applications_portal:start")).content.decode()
    assert department.name in start and external.name not in start
    assert Client().get(reverse("applications_portal:apply", args=[external.code])).status_code == 404
    page = Client().get(reverse("portal:column_apply", kwargs={"code": external.code})).content.decode()
    assert reverse("applications_portal:apply", args=[external.code]) not in page


def test_external_source_is_not_in_the_report_and_compliance_lists(department, external, platform_admin):
    client = Client()
    client.force_login(platform_admin)
    reports = client.get(reverse("workspace_reports:list")).content.decode()
    assert department.name in reports and external.name not in reports
    compliance = client.get(reverse("workspace:compliance_overview")).content.decode()
    assert department.name in compliance and external.name not in compliance
