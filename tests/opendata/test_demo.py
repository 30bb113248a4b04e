import pytest

from gongkai.opendata.demo import division_rows, load_demo_datasets
from gongkai.opendata.models import Dataset
from gongkai.opendata.selectors import dataset_search, datastore_search

from ..conftest import shared_data


def test_division_codes_come_from_the_official_lists():
    rows = division_rows()
    assert len(rows) > 6000
    assert ["110101", "北京市", "东城区", "", "", "有效"] in rows


@pytest.mark.data
def test_demo_publishes_real_tables_into_the_datastore(government):
    shared_data("messages_with_replies.jsonl")
    load_demo_datasets(government=government)
    load_demo_datasets(government=government)  # idempotent
    published = Dataset.objects.filter(state=Dataset.State.PUBLISHED)
    assert published.count() >= 3
    divisions = published.get(name="xingzheng-quhua-daima")
    found = datastore_search(resource=divisions.resources.get(), filters={"名称": "东城区"})
    assert found["total"] >= 1
    assert dataset_search(q="留言").count == 2
    assert divisions.quality["score"] >= 80
