from django.db import migrations


def strip_weight_d(apps, schema_editor) -> None:
    """PostgreSQL: vectors indexed before the character field was dropped hold single characters at
    weight D. Queries no longer restrict matches to weights A-C (so that the GIN index answers them
    exactly), so those characters must go: keep the A, B and C lexemes of every vector."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE search_searchentry SET vector = ts_filter(vector, '{a,b,c}') "
        "WHERE vector IS NOT NULL AND vector <> ts_filter(vector, '{a,b,c}')"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_change_tracking"),
    ]

    operations = [
        migrations.RunPython(strip_weight_d, migrations.RunPython.noop),
    ]
