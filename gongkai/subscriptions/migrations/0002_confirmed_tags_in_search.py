"""The push tags publishers confirmed before the library had 适用对象 facets: put them into the search index
(search.SearchTag), replacing those documents' own tags as `services.facet_tags` does for every later write."""

import uuid

from django.db import migrations


def confirmed_tags_to_index(apps, schema_editor):
    DocumentTags = apps.get_model("subscriptions", "DocumentTags")
    Entry, Tag, Change = (apps.get_model("search", n) for n in ("SearchEntry", "SearchTag", "SearchChange"))
    confirmed = {d: [f"audience:{a}" for a in audiences] + list(tags) for d, audiences, tags in
                 DocumentTags.objects.filter(state="confirmed").values_list("document_id", "audiences", "tags")}
    indexed = set(Entry.objects.filter(document_id__in=list(confirmed)).values_list("document_id", flat=True))
    if not indexed:
        return
    Tag.objects.filter(entry_id__in=indexed).delete()
    Tag.objects.bulk_create([Tag(entry_id=d, key=k[:60]) for d in indexed for k in dict.fromkeys(confirmed[d])],
                            batch_size=2000)
    Change.objects.create(token=uuid.uuid4().hex, rebuild=True)


class Migration(migrations.Migration):

    dependencies = [
        ("subscriptions", "0001_initial"),
        ("search", "0005_facet_tags"),
    ]

    operations = [migrations.RunPython(confirmed_tags_to_index, migrations.RunPython.noop)]
