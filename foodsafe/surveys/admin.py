from django.contrib import admin

from .models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = (
        "response_number",
        "survey_code",
        "org_unit",
        "responded_on",
        "satisfaction_score",
        "aware_of_programme",
    )
    list_filter = ("survey_code", "aware_of_programme")
    search_fields = ("response_number",)
    raw_id_fields = ("org_unit",)
