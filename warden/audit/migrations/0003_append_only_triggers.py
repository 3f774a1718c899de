from django.db import migrations


def install(apps, schema_editor):
    from warden.audit.guards import install_sql

    for stmt in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(stmt, params=None)


def uninstall(apps, schema_editor):
    from warden.audit.guards import uninstall_sql

    for stmt in uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(stmt, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_tree_and_checkpoints")]

    operations = [migrations.RunPython(install, uninstall)]
