"""Inspection-plan pages (监督检查计划)."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "inspectionplan"
urlpatterns = [
    # The section's own address opens its plans (a typed or bookmarked /inspection-plan/).
    path("", RedirectView.as_view(pattern_name="inspectionplan:plans"), name="index"),
    path("due/", views.due, name="due"),
    path("due/export/", views.due_export, name="due_export"),
    path("plans/", views.plans, name="plans"),
    path("plans/create/", views.create, name="create"),
    path("plans/<int:pk>/", views.detail, name="detail"),
    path("plans/<int:pk>/export/", views.export, name="export"),
    path("plans/<int:pk>/publication/", views.publication, name="publication"),
    path(
        "plans/<int:pk>/publication/export/",
        views.publication_export,
        name="publication_export",
    ),
]
