"""Key-task pages (mounted at ``programme/``: the addresses people have bookmarked)."""

from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.board, name="board"),
    path("items/<int:number>/", views.item_detail, name="item"),
]
