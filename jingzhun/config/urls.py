from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from jingzhun.analytics.views import HomeView
from jingzhun.api.api import api
from jingzhun.casefile import urls as casefile_urls
from jingzhun.org import views as org_views
from jingzhun.students import urls as students_urls

# The student list and file show later stages, so the case file app serves them under the
# registry's names and paths (students:list, students:detail, students:detail-tab).
students_namespace = ([*casefile_urls.student_patterns, *students_urls.urlpatterns], "students")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", org_views.LoginView.as_view(), name="login"),
    path("logout/", org_views.LogoutView.as_view(), name="logout"),
    path("role/", org_views.RoleSwitchView.as_view(), name="role-switch"),
    path("password/", org_views.PasswordChangeView.as_view(), name="password-change"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("students/", include(students_namespace)),
    path("cases/", include("jingzhun.casefile.urls")),
    path("behaviour/", include("jingzhun.behaviour.urls")),
    path("identification/", include("jingzhun.identification.urls")),
    path("assistance/", include("jingzhun.assistance.urls")),
    path("jobs/", include("jingzhun.jobs.urls")),
    path("tracking/", include("jingzhun.tracking.urls")),
    path("portal/", include("jingzhun.portal.urls")),
    path("notifications/", include("jingzhun.notifications.urls")),
    path("analytics/", include("jingzhun.analytics.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
