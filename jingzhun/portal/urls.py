from django.urls import path

from jingzhun.portal import views

app_name = "portal"

urlpatterns = [
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
]
