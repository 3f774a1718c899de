from django.db import migrations


def install(apps, schema_editor):
    from warden.audit.guards import _pg_truncate_sql

    if schema_editor.connection.vendor == "postgresql":
        for stmt in _pg_truncate_sql():
            schema_editor.execute(stmt, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in ("audit_auditentry", "audit_checkpoint", "audit_loghead"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_seq_primary_key")]

    operations = [migrations.RunPython(install, uninstall)]
