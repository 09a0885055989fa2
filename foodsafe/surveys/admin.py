from django.contrib import admin

from .models import CensusCell, SurveyInvitation, SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = (
        "response_number",
        "survey_code",
        "org_unit",
        "responded_on",
        "satisfaction_score",
        "aware_of_programme",
        "self_selected",
    )
    list_filter = ("survey_code", "self_selected", "aware_of_programme")
    search_fields = ("response_number",)
    raw_id_fields = ("org_unit",)


@admin.register(CensusCell)
class CensusCellAdmin(admin.ModelAdmin):
    """The office enters (or corrects) the census cells here; files go through the import."""

    list_display = ("org_unit", "year", "urban_rural", "sex", "age_band", "population", "source")
    list_filter = ("year", "urban_rural", "sex", "age_band")
    raw_id_fields = ("org_unit",)


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    """问卷邀请码: issued from the survey page; here to look one up (a respondent's call)."""

    list_display = ("code", "survey_code", "org_unit", "issued_on", "response")
    list_filter = ("survey_code",)
    search_fields = ("code",)
    raw_id_fields = ("org_unit", "response", "issued_by")
