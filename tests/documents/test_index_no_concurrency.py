"""索引号 numbers stay unique and gap-free when editors create documents at the same moment."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.documents import services
from gongkai.documents.models import Document


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gives_unique_gap_free_index_numbers(department, editor):
    workers, per_worker = 8, 5
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def create_many(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_worker):
                services.document_create(organisation=department, by=editor, title=f"并发文件 {n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_many, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = sorted(int(no.rsplit("-", 1)[1]) for no in Document.objects.values_list("index_no", flat=True))
    assert numbers == list(range(1, workers * per_worker + 1))
    year = timezone.localdate().year
    assert Document.objects.filter(index_no=f"TEST00002/{year}-00001").count() == 1


@pytest.mark.django_db(transaction=True)
def test_failed_creation_inside_a_batch_leaves_no_gap(department, editor):
    services.document_create(organisation=department, by=editor, title="甲")
    with pytest.raises(Exception):  # noqa: B017 - any validation failure
        services.document_create(organisation=department, by=editor, title="")
    services.document_create(organisation=department, by=editor, title="乙")
    numbers = sorted(int(no.rsplit("-", 1)[1]) for no in Document.objects.values_list("index_no", flat=True))
    assert numbers == [1, 2]
