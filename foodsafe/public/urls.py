"""Public pages (no login)."""

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("complaint/", views.complaint, name="complaint"),
    path("complaint/status/", views.status, name="status"),
    path("survey/", views.survey, name="survey"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("statistics/", views.statistics, name="statistics"),
]
