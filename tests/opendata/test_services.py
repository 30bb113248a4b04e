"""The dataset door: privacy findings block publication until masked or overridden; broken tables leave nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.opendata import datastore, services
from gongkai.opendata.models import Dataset, PrivacyFinding, Resource, ResourceFile

from .conftest import csv_upload

# 11010519491231002X is the GB 11643 example number; 13812345678 a mobile number.
PEOPLE = "姓名,身份证号,手机,补贴（元）\n张三,11010519491231002X,13812345678,500\n李四,,13912345678,300\n"


@pytest.fixture
def dataset(department):
    return services.dataset_create(by=None, organisation=department, name="subsidies", title="补贴发放名单",
                                   notes="说明")


def test_personal_data_blocks_publication_until_masked(dataset, reviewer):
    services.resource_create(by=None, dataset=dataset, name="名单", upload=csv_upload(PEOPLE, "people.csv"))
    findings = {(f.column, f.rule) for f in PrivacyFinding.objects.all()}
    assert ("身份证号", "id_number") in findings
    assert ("手机", "mobile") in findings
    assert ("姓名", "name_with_id") in findings
    original = ResourceFile.objects.get()
    assert original.withheld is True
    with pytest.raises(ValidationError) as err:
        services.dataset_transition(by=reviewer, dataset=dataset, action="publish")
    assert "个人信息未处理" in str(err.value)
    for finding in PrivacyFinding.objects.all():
        services.finding_resolve(by=reviewer, finding=finding, action="mask")
    resource = Resource.objects.get()
    records, _ = datastore.datastore_query(table=resource.datastore_table, fields=resource.schema)
    assert records[0]["身份证号"] == "11*************02X"
    assert records[0]["手机"] == "138****5678"
    assert records[0]["姓名"] == "张*"
    masked = resource.files.order_by("-version").first()
    assert masked.version == 2 and not masked.withheld
    assert "13812345678" not in masked.file.read().decode("utf-8-sig")
    assert services.dataset_transition(by=reviewer, dataset=dataset, action="publish").state == Dataset.State.PUBLISHED
    assert AuditEvent.objects.filter(action="opendata.privacy_mask").count() == 3


def test_override_needs_a_reason_and_is_audited(dataset, reviewer, editor):
    services.resource_create(by=None, dataset=dataset, name="热线", upload=csv_upload("部门,电话\n教育局,13812345678\n"))
    finding = PrivacyFinding.objects.get()
    with pytest.raises(ValidationError):
        services.finding_resolve(by=reviewer, finding=finding, action="override", reason="")
    with pytest.raises(PermissionDenied):
        services.finding_resolve(by=editor, finding=finding, action="override", reason="公开热线")
    services.finding_resolve(by=reviewer, finding=finding, action="override", reason="部门对外公开的服务热线")
    assert AuditEvent.objects.get(action="opendata.privacy_override").note == "部门对外公开的服务热线"
    assert not ResourceFile.objects.get().withheld


def test_gbk_csv_is_detected_and_converted(dataset):
    resource = services.resource_create(by=None, dataset=dataset, name="GBK",
                                        upload=csv_upload("地区,数量\n北京,1\n上海,2\n", encoding="gbk"))
    assert resource.current.encoding == "gb18030"
    records, total = datastore.datastore_query(table=resource.datastore_table, fields=resource.schema)
    assert total == 2 and records[0]["地区"] == "北京"


def test_ragged_rows_refuse_the_file_and_leave_nothing(dataset):
    with pytest.raises(ValidationError) as err:
        services.resource_create(by=None, dataset=dataset, name="坏表", upload=csv_upload("a,b\n1,2\n3\n4,5,6\n"))
    assert "第 3、4 行" in str(err.value)
    assert not Resource.objects.exists() and not ResourceFile.objects.exists()


def test_upload_over_the_limit_is_refused(dataset, monkeypatch):
    monkeypatch.setattr("gongkai.opendata.conf.MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError) as err:
        services.resource_create(by=None, dataset=dataset, name="大文件", upload=csv_upload())
    assert "文件过大" in str(err.value)
    assert not Resource.objects.exists()


def test_validation_reports_blank_headers_missing_values_and_type_errors(dataset):
    rows = "代码,,数量\n" + "".join(f"{i},x,{i}\n" for i in range(1, 10001)) + "10001,x,很多\n10002,x,\n"
    resource = services.resource_create(by=None, dataset=dataset, name="表", upload=csv_upload(rows))
    codes = {e["code"] for e in resource.current.validation}
    assert codes == {"blank-header", "missing-value", "type-error"}
    type_error = next(e for e in resource.current.validation if e["code"] == "type-error")
    assert type_error["rows"] == [10002]


def test_conditional_and_closed_datasets_need_a_reason(department):
    with pytest.raises(ValidationError):
        services.dataset_create(by=None, organisation=department, name="cond", title="有条件", access_level="conditional")


def test_editor_of_another_organisation_cannot_change_a_dataset(dataset, other_editor):
    with pytest.raises(PermissionDenied, match="权限"):
        services.dataset_update(by=other_editor, dataset=dataset, title="改")


def test_published_change_is_a_new_version_with_the_old_kept(published, editor):
    services.dataset_update(by=editor, dataset=published, title="行政区划人口统计（2025）")
    published.refresh_from_db()
    assert published.version == 2
    assert {a.snapshot["title"] for a in published.activities.all()} >= {"行政区划人口统计", "行政区划人口统计（2025）"}


def test_withdraw_keeps_the_dataset(published, reviewer):
    services.dataset_transition(by=reviewer, dataset=published, action="withdraw", reason="数据口径调整")
    published.refresh_from_db()
    assert published.state == Dataset.State.WITHDRAWN and published.withdraw_reason == "数据口径调整"


def test_home_addresses_below_street_level_are_found_and_masked(dataset, reviewer):
    services.resource_create(by=None, dataset=dataset, name="住户", upload=csv_upload(
        "户主,家庭住址,人数\n甲,示例市人民路街道幸福小区3栋2单元301室,3\n乙,示例市城关镇,2\n"))
    finding = PrivacyFinding.objects.get(rule="home_address")
    assert finding.column == "家庭住址" and finding.count == 1
    services.finding_resolve(by=reviewer, finding=finding, action="mask")
    resource = Resource.objects.get()
    records, _ = datastore.datastore_query(table=resource.datastore_table, fields=resource.schema)
    assert records[0]["家庭住址"] == "示例市人民路街道***"
    assert records[1]["家庭住址"] == "示例市城关镇"


@pytest.mark.django_db(transaction=True)
def test_link_check_marks_broken_links_in_the_quality_score(live_server, department):
    dataset = services.dataset_create(by=None, organisation=department, name="links", title="链接")
    good = services.resource_create(by=None, dataset=dataset, name="好", url=f"{live_server.url}/shuju/")
    bad = services.resource_create(by=None, dataset=dataset, name="坏", url=f"{live_server.url}/no-such-page/")
    services.dataset_transition(by=None, dataset=dataset, action="publish")
    assert services.links_check_all() == 2
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.link_status == 200 and bad.link_status == 404
    dataset.refresh_from_db()
    assert not next(c for c in dataset.quality["checks"] if c["key"] == "links_ok")["ok"]
