"""Programme pages (mounted at ``programme/``)."""

from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("tasks/", views.board, name="board"),
    path("items/<int:number>/", views.item_detail, name="item"),
]
