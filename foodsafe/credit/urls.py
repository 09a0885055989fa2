"""Credit supervision pages (信用监管)."""

from django.urls import path

from . import views

app_name = "credit"
urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run, name="run"),
    path("export/", views.export, name="export"),
    path("operators/<int:pk>/", views.file, name="file"),
    path("operators/<int:pk>/listing/", views.listing, name="listing"),
    path("grades/<int:pk>/decide/", views.override, name="override"),
]
