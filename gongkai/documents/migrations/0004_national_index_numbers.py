"""Rebuild the 索引号 of the national laws source: `GJFLFG-{year}-{seq}` instead of `NATIONAL/…`, the year
taken from a date the document has (publication, 成文, 生效, 失效) and 0000 for one without any date —
never from the day of the import. Documents of other organisations keep their numbers."""

from django.db import migrations
from django.utils import timezone

PATTERN = "GJFLFG-{year}-{seq:05d}"


def _year(document) -> int:
    if document.published_at:
        return timezone.localtime(document.published_at).year
    for day in (document.written_on, document.effective_on, document.expires_on):
        if day:
            return day.year
    return 0


def rebuild(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    Document = apps.get_model("documents", "Document")
    Counter = apps.get_model("core", "IndexNoCounter")
    national = Organisation.objects.filter(code="NATIONAL").first()
    if national is None:
        return
    if not national.index_no_pattern:
        national.index_no_pattern = PATTERN
        national.save(update_fields=["index_no_pattern"])
    documents = list(Document.objects.filter(organisation=national, index_no__startswith="NATIONAL/").order_by("id"))
    if not documents:
        return
    Counter.objects.filter(organisation=national).delete()
    last: dict[int, int] = {}
    for document in sorted(documents, key=lambda d: (_year(d), d.id)):
        year = _year(document)
        last[year] = last.get(year, 0) + 1
        document.index_no = national.index_no_pattern.format(code=national.code, year=year or "0000", month="00",
                                                             seq=last[year])
        Document.objects.filter(pk=document.pk).update(index_no=document.index_no)
    Counter.objects.bulk_create([Counter(organisation=national, year=year, last_value=n) for year, n in last.items()])


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_document_import_digest"), ("core", "0005_organisation_handles_applications")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
