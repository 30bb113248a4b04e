"""Seed the consultation periods from conf.py (each with its source); the office may edit them later."""

from django.db import migrations

from gongkai.consultations import conf


def seed(apps, schema_editor):
    PeriodRule = apps.get_model("consultations", "PeriodRule")
    for d in conf.DEFAULTS.values():
        PeriodRule.objects.get_or_create(key=d.key, defaults={"label": d.label, "amount": d.amount, "unit": d.unit,
                                                              "source": d.source})


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
