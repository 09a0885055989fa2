"""Complaint handling pages (staff)."""

from django.urls import path

from . import views

app_name = "complainthandling"
urlpatterns = [
    path("", views.handling_list, name="list"),
    path("<int:pk>/", views.handling_detail, name="detail"),
    path("statistics/", views.statistics, name="statistics"),
]
