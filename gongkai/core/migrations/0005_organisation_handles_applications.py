from django.db import migrations, models


def external_sources_do_not_handle_applications(apps, schema_editor):
    # The national laws corpus of the demo (code NATIONAL) is a source of documents, not a receiving body.
    apps.get_model("core", "Organisation").objects.filter(code="NATIONAL").update(handles_applications=False)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_rate_limits")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="handles_applications",
            field=models.BooleanField(
                default=True,
                help_text="关闭后，该机关不出现在申请表、年度报告和内容检查的机关列表中（如外部文件来源）",
                verbose_name="受理政府信息公开申请",
            ),
        ),
        migrations.RunPython(external_sources_do_not_handle_applications, migrations.RunPython.noop),
    ]
