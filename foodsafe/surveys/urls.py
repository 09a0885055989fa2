"""Survey pages (office)."""

from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.results, name="results"),
    path("weights/", views.weights, name="weights"),
    path("phone/", views.phone_entry, name="phone"),
    path("invitations/", views.invitations, name="invitations"),
]
