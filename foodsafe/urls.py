"""URL configuration: the web app, login/logout and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

handler400 = "foodsafe.web.errors.bad_request"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("programme/", include("foodsafe.tasks.urls")),
    path("imports/", include("foodsafe.imports.urls")),
    path("evidence/", include("foodsafe.evidence.urls")),
    path("rectifications/", include("foodsafe.rectification.urls")),
    path("supervision/", include("foodsafe.supervision.urls")),
    path("materials/", include("foodsafe.materials.urls")),
    path("info-reports/", include("foodsafe.inforeports.urls")),
    path("inspection-plan/", include("foodsafe.inspectionplan.urls")),
    path("sampling-plan/", include("foodsafe.samplingplan.urls")),
    path("risk/", include("foodsafe.riskgrading.urls")),
    path("credit/", include("foodsafe.credit.urls")),
    path("dashboard/", include("foodsafe.dashboard.urls")),
    path("complaints/", include("foodsafe.complaints.urls")),
    path("surveys/", include("foodsafe.surveys.urls")),
    path("notices/", include("foodsafe.notices.urls")),
    path("demonstration/", include("foodsafe.demonstration.urls")),
    path("performance/", include("foodsafe.performance.urls")),
    path("workplan/", include("foodsafe.workplan.urls")),
    path("complaint-handling/", include("foodsafe.complainthandling.urls")),
    # The public side (公众页面): no login; nothing internal is reachable from it.
    path("public/", include("foodsafe.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("foodsafe.web.urls")),
]
