"""Findings explained (rule, what to write instead, why, source) and false alarms marked once per item and rule."""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.compliance import explain, selectors, services
from gongkai.compliance.models import FalseAlarm, Finding
from gongkai.core.models import AuditEvent, Organisation
from gongkai.documents import services as documents

ID_NUMBER = "11010519491231002X"
CHECKS = Path(explain.__file__).resolve().parent


def findings(document, **filters):
    content_type = ContentType.objects.get_for_model(document)
    return Finding.objects.filter(content_type=content_type, object_id=str(document.pk), **filters)


def emitted_rules() -> set[str]:
    """Every rule code written literally in the checkers and services (rule="…" and the classifier's)."""
    rules = set()
    for path in [*CHECKS.glob("checks/*.py"), CHECKS / "services.py"]:
        source = path.read_text(encoding="utf-8")
        rules |= set(re.findall(r'rule=f?"([a-z_]+)', source))
        rules |= set(re.findall(r'return "([a-z_]+)", mask\(', source))
    return rules


def test_every_rule_the_checks_emit_is_explained_with_a_source():
    rules = emitted_rules()
    assert {"id_number", "mobile", "bank_card", "name_with_", "home_address", "confusion_lm", "doc_number"} <= rules
    for rule in rules | {"institution:国土资源部", "expression:布署", "custom:某词", "name_with_mobile", "wrong_word:部暑"}:
        explanation = explain.rule_explanation(rule)
        assert explanation is not None, rule
        assert explanation.title and explanation.why and explanation.source, rule


def test_the_findings_page_shows_rule_suggestion_and_why(client, department, editor):
    documents.document_create(organisation=department, by=editor, title="关于布署工作的通知",
                              body="<p>联系人身份证号" + ID_NUMBER + "。</p>")
    client.force_login(editor)
    page = client.get(reverse("workspace:compliance_findings", args=[department.pk])).content.decode()
    assert "固定用语误写" in page and "部署" in page
    assert "居民身份证号码" in page and "11*************02X" in page
    assert "第十五条" in page  # the source of the personal-data rule


def test_false_alarm_needs_a_reason_is_audited_and_suppresses_the_rule_on_later_checks(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="其它事项的通知")
    finding = findings(doc).get()
    assert finding.rule == "expression:其它"
    with pytest.raises(ValidationError):
        services.finding_false_alarm(finding=finding, by=editor, reason="  ")
    mark = services.finding_false_alarm(finding=finding, by=editor, reason="“其它”与“其他”在此处均规范")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FALSE_ALARM
    event = AuditEvent.objects.get(action="compliance.finding_false_alarm", object_id=str(mark.pk))
    assert event.after["rule"] == "expression:其它" and event.note == "“其它”与“其他”在此处均规范"
    # The same text again, elsewhere in the item: not reported any more (rule + text, not the position).
    documents.document_update(document=doc, by=editor, title="其它事项的通知", body="<p>其它要求另行通知。</p>")
    assert not findings(doc, status=Finding.Status.OPEN).exists()
    # Another document with the same text is still checked: the mark is per item.
    other = documents.document_create(organisation=department, by=editor, title="其它事项的通知")
    assert findings(other, status=Finding.Status.OPEN).get().rule == "expression:其它"


def test_a_rule_is_marked_once_per_item_and_text(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="其它事项的通知")
    finding = findings(doc).get()
    services.finding_false_alarm(finding=finding, by=editor, reason="此处无误")
    with pytest.raises(ValidationError):
        services.finding_false_alarm(finding=finding, by=editor, reason="再标一次")
    assert FalseAlarm.objects.count() == 1


def test_a_severe_false_alarm_needs_a_reviewer_and_the_audit_keeps_no_clear_number(department, editor, reviewer):
    doc = documents.document_create(organisation=department, by=editor, title="通知",
                                    body="<p>身份证号" + ID_NUMBER + "</p>")
    severe = findings(doc).get()
    with pytest.raises(PermissionDenied):
        services.finding_false_alarm(finding=severe, by=editor, reason="是样例号码")
    mark = services.finding_false_alarm(finding=severe, by=reviewer, reason="国家标准中的样例号码")
    event = AuditEvent.objects.get(action="compliance.finding_false_alarm", object_id=str(mark.pk))
    assert ID_NUMBER not in str(event.after) and ID_NUMBER not in event.object_repr
    services.item_check(item=doc)
    assert not findings(doc, status=Finding.Status.OPEN).exists()


def test_keeping_a_personal_number_on_purpose_keeps_no_clear_number_in_the_audit(department, editor, reviewer):
    doc = documents.document_create(organisation=department, by=editor, title="通知",
                                    body="<p>身份证号" + ID_NUMBER + "</p>")
    severe = findings(doc).get()
    services.finding_accept(finding=severe, by=reviewer, reason="经本人书面同意公开")
    event = AuditEvent.objects.get(action="compliance.finding_override")
    assert ID_NUMBER not in str(event.after) and event.after["rule"] == severe.rule


def test_other_organisation_cannot_mark(department, other_department, other_editor, editor):
    doc = documents.document_create(organisation=department, by=editor, title="其它事项的通知")
    with pytest.raises(PermissionDenied):
        services.finding_false_alarm(finding=findings(doc).get(), by=other_editor, reason="x")


def test_marks_are_counted_per_rule_so_a_noisy_rule_shows(department, editor):
    marked = [documents.document_create(organisation=department, by=editor, title=f"其它事项的通知{n}")
              for n in range(3)]
    documents.document_create(organisation=department, by=editor, title="其它安排")  # raised, not marked
    documents.document_create(organisation=department, by=editor, title="关于布署工作的通知")
    for doc in marked[:2]:
        services.finding_false_alarm(finding=findings(doc).get(), by=editor, reason="此处无误")
    rows = selectors.false_alarms_by_rule(organisations=Organisation.objects.filter(pk=department.pk))
    assert [(r.rule, r.false_alarms, r.findings) for r in rows] == [("expression:其它", 2, 4)]
    assert rows[0].share == 0.5 and rows[0].explanation.title == "固定用语误写"


def test_the_page_marks_a_false_alarm_with_a_required_reason_and_the_overview_counts_it(client, department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="其它事项的通知")
    finding = findings(doc).get()
    client.force_login(editor)
    url = reverse("workspace:compliance_finding_accept", args=[finding.pk])
    page = client.get(reverse("workspace:compliance_findings", args=[department.pk])).content.decode()
    assert 'value="false_alarm"' in page and "required" in page
    response = client.post(url, {"action": "false_alarm", "reason": ""}, follow=True)
    assert "标记误报必须说明理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    client.post(url, {"action": "false_alarm", "reason": "此处无误"})
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FALSE_ALARM
    overview = client.get(reverse("workspace:compliance_overview")).content.decode()
    section = overview[overview.index('id="noise"'):]
    assert "expression:其它" in section and "100%" in section


def test_a_common_wrong_word_is_found_with_its_standard_form_and_source(db):
    from gongkai.compliance.engine import check_text

    hit = next(h for h in check_text("认真做好部暑工作", typos=False) if h.rule.startswith("wrong_word:"))
    assert (hit.text, hit.suggestion, hit.start) == ("部暑", "部署", 4)
    assert "咬文嚼字" in explain.rule_explanation(hit.rule).source
    assert not [h for h in check_text("认真做好部署工作，签署协议", typos=False) if h.rule.startswith("wrong_word:")]
