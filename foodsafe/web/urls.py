"""Web pages."""

from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("scorecard/<str:org_code>/<str:period>/", views.scorecard, name="scorecard"),
]
