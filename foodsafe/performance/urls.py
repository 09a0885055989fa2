"""绩效考核 pages."""

from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("export.xlsx", views.export, name="export"),
    path("comment/", views.comment, name="comment"),
]
