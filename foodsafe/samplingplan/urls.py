"""Sampling-plan pages (抽检计划, 核查处置, 信息公开)."""

from django.urls import path

from . import views

app_name = "samplingplan"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("preview/", views.preview, name="preview"),
    path("save/", views.save, name="save"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/lines/", views.line_add, name="line_add"),
    path("disposals/", views.disposals, name="disposals"),
    path("disposals/open/", views.disposal_open_view, name="disposal_open"),
    path("disposals/<int:pk>/", views.disposal_detail, name="disposal"),
    path("disposals/<int:pk>/act/", views.disposal_act, name="disposal_act"),
    path("publication/", views.publication, name="publication"),
    path("publication/export/", views.publication_export, name="publication_export"),
    path("publication/record/", views.publication_record, name="publication_record"),
]
