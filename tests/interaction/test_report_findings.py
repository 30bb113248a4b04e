"""Issue 21: 找错 wording reports (错别字, or any report quoting the wrong and the right wording) feed the content
checker's findings through compliance's door: linked to the page's document when the URL resolves to one,
explained like the checks' findings, counted per organisation, never closed by a re-check, closed with the report."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gongkai.compliance import selectors as findings_selectors
from gongkai.compliance import services as compliance
from gongkai.compliance.explain import rule_explanation
from gongkai.compliance.models import Finding
from gongkai.core.models import Organisation, Role
from gongkai.interaction.models import ErrorReport
from gongkai.interaction.services import error_report_act, error_report_submit, wording_in_report
from tests.conftest import make_user
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


def test_which_reports_are_wording_reports():
    assert wording_in_report(kind="typo", description="第二段“机构”写成“机购”") == ("机购", "机构")
    assert wording_in_report(kind="other", description="“统愁协调”应为“统筹协调”") == ("统愁协调", "统筹协调")
    assert wording_in_report(kind="typo", description="标题有错字") == ("", "")
    assert wording_in_report(kind="broken_link", description="附件打不开") is None


def test_a_typo_report_on_a_document_page_is_a_finding_of_that_document(client, department, editor):
    document = published_document(organisation=department, by=editor, title="关于做好招生工作的通知",
                                  body="<p>请各学校统筹协调，做好招生工作。</p><p>本机购负责解释。</p>")
    assert Finding.objects.filter(rule__startswith="public_report").count() == 0
    r = client.post("/zhaocuo/", {"kind": "typo", "page_url": f"/zhengce/{document.index_no}/",
                                  "description": "最后一段“机构”写成了“机购”。"})
    assert r.status_code == 302
    report = ErrorReport.objects.get()
    finding = Finding.objects.get(rule="public_report:typo")
    assert finding.content_type == ContentType.objects.get_for_model(document)
    assert finding.object_id == str(document.pk) and finding.organisation == department
    assert (finding.text, finding.suggestion, finding.status) == ("机购", "机构", "open")
    assert document.body[finding.start:finding.end] == "机购" and finding.field == "body"
    assert report.tracking_code in finding.message
    explanation = rule_explanation(finding.rule)
    assert explanation and "我为政府网站找错" in explanation.title and "19号" in explanation.source

    # Counted with the other findings of the organisation, shown with its explanation on the findings page.
    row = next(r for r in findings_selectors.findings_by_organisation(
        organisations=Organisation.objects.filter(pk=department.pk)))
    assert row.warning >= 1
    page = client.__class__()
    page.force_login(editor)
    html = page.get(reverse("workspace:compliance_findings", args=[department.pk])).content.decode()
    assert "我为政府网站找错" in html and "机购" in html and report.tracking_code in html

    # A re-check of the document does not close it (the checks cannot see what the public reported) …
    compliance.item_check(item=document)
    finding.refresh_from_db()
    assert finding.status == "open"
    # … closing the report as fixed does.
    handler = make_user("zc", department.parent, Role.HANDLER)
    report = error_report_act(report=report, type="forwarded", by=handler, to=department)
    error_report_act(report=report, type="replied", by=make_user("dh", department, Role.HANDLER), outcome="fixed",
                     resolution="已将“机购”改为“机构”。")
    finding.refresh_from_db()
    assert finding.status == "fixed" and "已改正" in finding.resolution_reason


def test_a_wording_report_on_another_page_is_a_finding_of_the_report(government, department):
    report = error_report_submit(kind="other", page_url="/gongkai/TEST00002/", page_owner=department,
                                 description="机构职能中“统愁协调”应为“统筹协调”", client_address="10.7.7.1")
    finding = Finding.objects.get(rule="public_report:other")
    assert finding.item == report and finding.organisation == department
    assert (finding.text, finding.suggestion) == ("统愁协调", "统筹协调")
    # Once per report; a report that is not about wording makes none.
    error_report_submit(kind="broken_link", page_url="/", description="附件打不开", client_address="10.7.7.2")
    assert Finding.objects.filter(kind="reported").count() == 1
    # Closed as 经核实无误: kept, with the reason.
    handler = make_user("h2", government, Role.HANDLER)
    error_report_act(report=report, type="replied", by=handler, outcome="no_problem", resolution="原文为引用，无误。")
    finding.refresh_from_db()
    assert finding.status == "accepted" and "经核实无误" in finding.resolution_reason
