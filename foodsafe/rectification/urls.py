"""Rectification ledger pages (mounted at ``rectifications/``)."""

from django.urls import path

from . import views

app_name = "rectification"
urlpatterns = [
    path("", views.rectification_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("self-check.docx", views.self_check, name="self_check"),
    path("from-indicator/", views.from_indicator, name="from_indicator"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/evidence/", views.upload, name="upload"),
    path("<int:pk>/measures/", views.measures, name="measures"),
]
