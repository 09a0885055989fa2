"""示范引领 pages: projects and field-check sites."""

from django.urls import path

from . import views

app_name = "demonstration"
urlpatterns = [
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/export.xlsx", views.projects_export, name="projects_export"),
    path("sites/", views.sites, name="sites"),
    path("sites/new/", views.site_new, name="site_new"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
]
