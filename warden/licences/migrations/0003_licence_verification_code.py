"""Every licence gets a random public verification code. Three steps, because a column added with a callable
default is filled with ONE value for every existing row: add it empty, give each existing licence its own
code (here), then make it required and unique (0004: a migration of its own, so that on PostgreSQL the ALTER
does not run in the transaction that updated the rows, which can fail with "pending trigger events")."""

from django.db import migrations, models
from django.db.models import Q

import warden.licences.models


def backfill_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Licence = apps.get_model("licences", "Licence")
    missing = Q(verification_code__isnull=True) | Q(verification_code="")
    for licence in Licence.objects.filter(missing).only("pk").iterator():
        Licence.objects.filter(pk=licence.pk).update(
            verification_code=warden.licences.models.new_verification_code()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("licences", "0002_issue_transition"),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="verification_code",
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.RunPython(backfill_codes, migrations.RunPython.noop),
    ]
