"""材料报送 pages (mounted at ``materials/``)."""

from django.urls import path

from . import views

app_name = "materials"
urlpatterns = [
    path("", views.index, name="index"),
    path("archive.zip", views.archive, name="archive"),
    path("<slug:group>/<slug:unit>/", views.filing, name="filing"),
    path("<slug:group>/<slug:unit>/file/", views.filing_file, name="filing_file"),
]
