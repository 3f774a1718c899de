"""The verification code, backfilled by 0003, becomes required and unique, with a fresh random default."""

from django.db import migrations, models

import warden.licences.models


class Migration(migrations.Migration):
    dependencies = [
        ("licences", "0003_licence_verification_code"),
    ]

    operations = [
        migrations.AlterField(
            model_name="licence",
            name="verification_code",
            field=models.CharField(
                default=warden.licences.models.new_verification_code, max_length=32, unique=True
            ),
        ),
    ]
