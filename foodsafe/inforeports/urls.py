"""信息报送 pages (mounted at ``info-reports/``)."""

from django.urls import path

from . import views

app_name = "inforeports"
urlpatterns = [
    path("", views.index, name="index"),
    path("submit/", views.submit, name="submit"),
    path("schedules/create/", views.schedule_create, name="schedule_create"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("bulletins/create/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/docx/", views.bulletin_download, name="bulletin_docx"),
]
