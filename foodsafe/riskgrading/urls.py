"""Risk grading pages (风险分级)."""

from django.urls import path

from . import records, views

app_name = "riskgrading"
urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
    path("export/", views.export, name="export"),
    path("operators/<int:pk>/", views.operator, name="operator"),
    path("operators/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("operators/<int:pk>/records/", records.records, name="records"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("inspections/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("gradings/<int:pk>/confirm/", views.confirm, name="confirm"),
]
