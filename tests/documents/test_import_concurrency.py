"""Imports and editors drawing 索引号 from the same counter at the same moment (PostgreSQL)."""

import json
import threading

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.documents import services
from gongkai.documents.importers import documents_import_file
from gongkai.documents.models import Document


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_and_creation_give_unique_gap_free_index_numbers(tmp_path, department, editor):
    year = timezone.localdate().year
    files = []
    for n in range(3):
        path = tmp_path / f"batch{n}.jsonl"
        path.write_text("".join(json.dumps({"external_id": f"c{n}-{i}", "organisation": "TEST00002",
                                            "title": f"并发导入 {n}-{i}", "published_at": f"{year}-01-02"},
                                           ensure_ascii=False) + "\n" for i in range(20)), encoding="utf-8")
        files.append(path)
    barrier = threading.Barrier(len(files) + 1)
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def create_by_hand() -> None:
        for i in range(10):
            services.document_create(organisation=department, by=editor, title=f"手工起草 {i}")

    jobs = [lambda path=path: documents_import_file(path=path, batch_size=7) for path in files] + [create_by_hand]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = sorted(int(no.rsplit("-", 1)[1]) for no in Document.objects.values_list("index_no", flat=True))
    assert numbers == list(range(1, 3 * 20 + 10 + 1))
