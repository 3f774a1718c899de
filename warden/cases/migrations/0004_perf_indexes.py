# Index only. The queue reads each open status in deadline order with ties broken by id and stops after one
# page (cases.web.queue.merged_ids); with id in the index neither database sorts the cases sharing a deadline,
# and a backward scan serves "latest first". paused_since is there for "overdue" (open, past the deadline, not
# paused): counting them reads the index alone instead of ~60,000 table rows (SQLite, 100,000 cases: 860 -> 43 ms).
# It replaces the (status, sla_deadline) index, its prefix.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_gate_countersignature"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["status", "sla_deadline", "id", "paused_since"], name="case_status_deadline_id"
            ),
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_status_16c6a7_idx",
        ),
    ]
