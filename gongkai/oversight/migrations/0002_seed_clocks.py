from django.db import migrations

from gongkai.oversight import conf


def seed(apps, schema_editor):
    OpinionClock = apps.get_model("oversight", "OpinionClock")
    for level, rule in conf.OPINION_CLOCKS.items():
        OpinionClock.objects.get_or_create(level=level, defaults={**rule, "source": conf.OPINION_CLOCK_SOURCE})


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
