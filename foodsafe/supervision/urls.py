"""Supervision pages (督查督办)."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("performance/", views.performance, name="performance"),
]
