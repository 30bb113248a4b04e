from django.db import migrations

from gongkai.opendata.conf import DEFAULT_DOMAINS


def seed(apps, schema_editor):
    DataDomain = apps.get_model("opendata", "DataDomain")
    for position, (name, title) in enumerate(DEFAULT_DOMAINS):
        DataDomain.objects.get_or_create(name=name, defaults={"title": title, "sort_order": position})


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
