"""Every shipment carries its currency (backfilled from its licence line, the only currency it could have been
in) and an optional idempotency key (empty when none), unique per licence and recorder when given, so that a retried request or a
double-submitted form records one shipment."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_currency(apps: Any, schema_editor: Any) -> None:
    Shipment = apps.get_model("licences", "Shipment")
    LicenceLine = apps.get_model("licences", "LicenceLine")
    Shipment.objects.update(
        currency=Subquery(LicenceLine.objects.filter(pk=OuterRef("line_id")).values("currency")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("licences", "0004_licence_verification_code_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="shipment",
            name="currency",
            field=models.CharField(default="", max_length=3),
            preserve_default=False,
        ),
        migrations.RunPython(backfill_currency, migrations.RunPython.noop),
        migrations.AddField(
            model_name="shipment",
            name="idempotency_key",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("licence", "recorded_by", "idempotency_key"),
                name="shipment_idempotency_key_once",
            ),
        ),
    ]
