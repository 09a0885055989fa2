from django.contrib import admin

from .models import OrgUnit, Population, ResponsibleUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_example")
    list_filter = ("level", "is_example")
    search_fields = ("code", "name")


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("org_unit", "year", "resident_population", "source")
    list_filter = ("year",)
    search_fields = ("org_unit__code", "org_unit__name")
    list_select_related = ("org_unit",)


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_collective")
    search_fields = ("code", "name")
