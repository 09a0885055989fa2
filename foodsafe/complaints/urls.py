"""Complaints pages."""

from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("reveals/", views.reveal_log, name="reveals"),
]
