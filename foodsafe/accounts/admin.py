"""Admin for users' roles: a Profile page and a role inline on the user page."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "responsible_unit", "division")
    list_filter = ("role", "responsible_unit")
    search_fields = ("user__username", "responsible_unit__name", "responsible_unit__code")
    list_select_related = ("user", "responsible_unit")
    raw_id_fields = ("user",)
    autocomplete_fields = ("responsible_unit", "division")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    extra = 0
    max_num = 1
    autocomplete_fields = ("responsible_unit", "division")


User = get_user_model()


class UserWithProfileAdmin(UserAdmin):
    """Django's user admin with the role (角色) and responsible unit inline."""

    inlines = [ProfileInline]
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "role")
    list_select_related = ("profile",)

    @admin.display(description=_("角色"), ordering="profile__role")
    def role(self, user) -> str:
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserWithProfileAdmin)
