"""Reminders record the deadline they were about (a due-soon reminder goes once per deadline)."""

import django.utils.timezone
from django.db import migrations, models


def copy_deadlines(apps, schema_editor):
    Reminder = apps.get_model("supervision", "Reminder")
    for reminder in Reminder.objects.select_related("rectification").iterator():
        reminder.deadline = reminder.rectification.deadline
        reminder.save(update_fields=["deadline"])


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="deadline",
            field=models.DateField(null=True, verbose_name="整改期限"),
        ),
        migrations.RunPython(copy_deadlines, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reminder",
            name="deadline",
            field=models.DateField(verbose_name="整改期限"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="记录时间"
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="reminder",
            options={
                "ordering": ["-sent_on", "rectification_id", "kind"],
                "verbose_name": "督办提醒",
                "verbose_name_plural": "督办提醒",
            },
        ),
    ]
