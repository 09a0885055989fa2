"""Workplan pages (任务时间轴、责任人、会议), mounted at ``workplan/``."""

from django.urls import path

from . import views

app_name = "workplan"
urlpatterns = [
    path("", views.timeline_page, name="timeline"),
    path("sync/", views.phase_sync, name="sync"),
    path("assignments/<int:pk>/", views.assignment_plan, name="assignment"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("people/", views.people, name="people"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
]
