# Index only. The queue reads each open status in deadline order with ties broken by id and stops after one
# page (cases.web.queue.merged_ids); with id in the index neither database sorts the cases sharing a deadline,
# and a backward scan serves "latest first". It replaces the (status, sla_deadline) index, its prefix.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_gate_countersignature"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["status", "sla_deadline", "id"], name="case_status_deadline_id"),
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_status_16c6a7_idx",
        ),
    ]
