from django.db import migrations


def load_topics(apps, schema_editor):
    from gongkai.documents.taxonomy import topic_rows

    Topic = apps.get_model("documents", "Topic")
    by_code = {}
    for code, name, parent_code in topic_rows():
        topic, _ = Topic.objects.update_or_create(code=code, defaults={"name": name, "parent": by_code.get(parent_code)})
        by_code[code] = topic


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(load_topics, migrations.RunPython.noop)]
