"""问卷邀请码 get a field period (调查期间): codes issued before have the rest of their issue
year (from the issue date to 31 December), the reading the answer's year was given before."""

import datetime

from django.db import migrations, models


def fill_periods(apps, schema_editor):
    SurveyInvitation = apps.get_model("surveys", "SurveyInvitation")
    for invitation in SurveyInvitation.objects.all():
        invitation.valid_from = invitation.issued_on
        invitation.valid_until = datetime.date(invitation.issued_on.year, 12, 31)
        invitation.save(update_fields=["valid_from", "valid_until"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_invitations")]

    operations = [
        migrations.AddField(
            model_name="surveyinvitation",
            name="valid_from",
            field=models.DateField(null=True, verbose_name="调查开始日期"),
        ),
        migrations.AddField(
            model_name="surveyinvitation",
            name="valid_until",
            field=models.DateField(null=True, verbose_name="调查结束日期"),
        ),
        migrations.RunPython(fill_periods, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="surveyinvitation",
            name="valid_from",
            field=models.DateField(verbose_name="调查开始日期"),
        ),
        migrations.AlterField(
            model_name="surveyinvitation",
            name="valid_until",
            field=models.DateField(verbose_name="调查结束日期"),
        ),
    ]
