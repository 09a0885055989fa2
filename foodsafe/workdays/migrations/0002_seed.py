"""Seed the calendar with the arrangements ``chinese_calendar`` knows (2004 to its last year).

The names and rules are those of :func:`foodsafe.workdays.services.seed_days`; the migration
writes with the historical models so it runs on any later schema.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from foodsafe.workdays.services import seed_days

    Arrangement = apps.get_model("workdays", "HolidayArrangement")
    Day = apps.get_model("workdays", "SpecialDay")
    Revision = apps.get_model("workdays", "CalendarRevision")
    if Arrangement.objects.exists():
        return
    now = timezone.now()
    years = seed_days()
    for year, days in sorted(years.items()):
        arrangement = Arrangement.objects.create(
            year=year,
            source_title=f"国务院办公厅关于{year}年部分节假日安排的通知（据 chinesecalendar 软件包）",
            loaded_at=now,
        )
        Day.objects.bulk_create(
            Day(date=d.date, kind=d.kind, name=d.name, arrangement=arrangement) for d in days
        )
    Revision.objects.create(
        version=1,
        changed_at=now,
        summary=f"初始数据：载入 {min(years)}–{max(years)} 年节假日安排（据 chinesecalendar 软件包）",
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarRevision").objects.all().delete()
    apps.get_model("workdays", "HolidayArrangement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
