"""Web pages."""

from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("scorecard/<str:org_code>/<str:period>/", views.scorecard, name="scorecard"),
    path(
        "scorecard/<str:org_code>/<str:period>/download/scorecard.xlsx",
        views.scorecard_download,
        {"kind": "xlsx"},
        name="scorecard_xlsx",
    ),
    path(
        "scorecard/<str:org_code>/<str:period>/download/report.docx",
        views.scorecard_download,
        {"kind": "docx"},
        name="scorecard_docx",
    ),
    path(
        "scorecard/<str:org_code>/<str:period>/vetoes/<str:veto_code>/",
        views.veto_finding,
        name="veto_finding",
    ),
]
