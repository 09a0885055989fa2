"""Supervision pages (督查督办)."""

from django.urls import path

from . import calendar_views, notification_views, views

app_name = "supervision"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/export.xlsx", views.overdue_export, name="overdue_export"),
    path("performance/", views.performance, name="performance"),
    path("performance/export.xlsx", views.performance_export, name="performance_export"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/<int:year>/", calendar_views.calendar_year, name="calendar_year"),
    path(
        "calendar/template/<int:year>/",
        calendar_views.calendar_template,
        name="calendar_template",
    ),
    path("calendar/submit/", calendar_views.calendar_submit, name="calendar_submit"),
    path(
        "calendar/preview/<str:token>/",
        calendar_views.calendar_preview,
        name="calendar_preview",
    ),
    path(
        "calendar/confirm/<str:token>/",
        calendar_views.calendar_confirm,
        name="calendar_confirm",
    ),
]
