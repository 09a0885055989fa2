"""Evidence pages (mounted at ``evidence/``)."""

from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("", views.index, name="index"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/file/", views.download, name="download"),
    path("<int:pk>/view/", views.view_inline, name="view"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
