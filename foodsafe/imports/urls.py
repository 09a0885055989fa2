"""Import pages, under /imports/."""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("preview/<str:token>/confirm/", views.confirm, name="confirm"),
    path("preview/<str:token>/errors.xlsx", views.error_report, name="error_report"),
    path("templates/<str:ledger>.xlsx", views.template, name="template"),
    path("log/", views.log, name="log"),
    path("log/<int:pk>/", views.log_entry, name="log_entry"),
    path("log/<int:pk>/rollback/", views.rollback, name="rollback"),
]
