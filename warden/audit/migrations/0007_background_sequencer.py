from django.db import migrations, models


def install(apps, schema_editor):
    from warden.audit.pg_sequencer import BACKGROUND_INSTALL

    if schema_editor.connection.vendor == "postgresql":
        for stmt in BACKGROUND_INSTALL:
            schema_editor.execute(stmt, params=None)


def uninstall(apps, schema_editor):
    from warden.audit.pg_sequencer import BACKGROUND_UNINSTALL

    if schema_editor.connection.vendor == "postgresql":
        for stmt in BACKGROUND_UNINSTALL:
            schema_editor.execute(stmt, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_sequence_at_commit")]

    operations = [
        migrations.AddField(model_name="pendingentry", name="background", field=models.BooleanField(default=False, db_default=False)),
        migrations.AddField(model_name="pendingentry", name="at", field=models.DateTimeField(null=True)),
        migrations.RunPython(install, uninstall),
    ]
