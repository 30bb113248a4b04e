"""Without its model the wrong-character check says so, and the model is built on first need."""

import io

import pytest
from django.core.management import call_command

from gongkai.compliance import engine, services
from gongkai.documents import services as documents
from tests.conftest import shared_data

SENTENCE = "各单位要认真落实会议部署，加强组织领道，确保工作取得实效。"


def test_text_check_warns_when_the_model_is_missing_and_building_is_off(db, monkeypatch, settings):
    settings.COMPLIANCE_LM_BUILD_ON_NEED = False
    monkeypatch.setattr("sys.stdin", io.StringIO(SENTENCE))
    err = io.StringIO()
    call_command("check", "-", stdout=io.StringIO(), stderr=err)
    assert "错别字检测模型未构建" in err.getvalue() and "gongkai compliance_build_lm" in err.getvalue()


def test_system_check_and_deploy_check_report_the_missing_model(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("check", "--deploy", stdout=out, stderr=err)
    assert "compliance.W001" in out.getvalue() + err.getvalue()


@pytest.mark.data
def test_text_check_builds_the_model_on_first_need_and_then_uses_it(db, monkeypatch, settings):
    shared_data("laws.jsonl.gz")
    settings.COMPLIANCE_LM_BUILD_ON_NEED = True
    settings.COMPLIANCE_LM_BUILD_LIMIT_CHARS = 300_000
    monkeypatch.setattr("sys.stdin", io.StringIO(SENTENCE))
    err = io.StringIO()
    call_command("check", "-", stdout=io.StringIO(), stderr=err)
    assert engine.lm_path().exists() and "已保存" in err.getvalue()
    assert engine.typo_model_state().available and engine.typo_model_state().warning == ""


@pytest.mark.data
def test_a_check_that_needs_the_model_queues_its_build(settings, department, editor):
    shared_data("laws.jsonl.gz")
    settings.COMPLIANCE_LM_BUILD_ON_NEED = True
    settings.COMPLIANCE_LM_BUILD_LIMIT_CHARS = 300_000
    assert not engine.lm_path().exists()
    document = documents.document_create(organisation=department, by=editor, title="关于落实会议部署的通知",
                                         body=f"<p>{SENTENCE}</p>")
    services.item_check(item=document)
    assert engine.lm_path().exists()  # tasks run inline in the tests; a worker builds it in production
