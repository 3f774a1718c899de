from django.db import migrations, models


def install(apps, schema_editor):
    from warden.audit.pg_sequencer import INSTALL

    if schema_editor.connection.vendor == "postgresql":
        for stmt in INSTALL:
            schema_editor.execute(stmt, params=None)


def uninstall(apps, schema_editor):
    from warden.audit.pg_sequencer import UNINSTALL

    if schema_editor.connection.vendor == "postgresql":
        for stmt in UNINSTALL:
            schema_editor.execute(stmt, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_refuse_truncate")]

    operations = [
        migrations.CreateModel(
            name="PendingEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("actor_id", models.BigIntegerField(null=True)),
                ("actor_label", models.CharField(max_length=200)),
                ("action", models.CharField(max_length=80)),
                ("object_type", models.CharField(blank=True, max_length=60)),
                ("object_id", models.CharField(blank=True, max_length=64)),
                ("case_id", models.BigIntegerField(null=True)),
                ("head", models.TextField()),
                ("tail", models.TextField()),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
