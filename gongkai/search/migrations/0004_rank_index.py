from django.db import migrations

from gongkai.search.backends import create_rank_schema, drop_rank_schema


class Migration(migrations.Migration):
    """PostgreSQL: the RUM index that orders matches by rank (when the extension is installed; GIN
    alone otherwise). SQLite: nothing."""

    atomic = False  # CREATE EXTENSION may be refused (not a superuser): that must not undo the rest

    dependencies = [
        ("search", "0003_vectors_without_weight_d"),
    ]

    operations = [
        migrations.RunPython(create_rank_schema, drop_rank_schema),
    ]
