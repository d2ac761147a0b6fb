from django.urls import path

from jingzhun.portal import destination_views, plan_views, views

app_name = "portal"

urlpatterns = [
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
    path("destination/", destination_views.StudentDestinationView.as_view(), name="destination"),
    path("plan/", plan_views.StudentPlanView.as_view(), name="plan"),
    path(
        "plan/<int:pk>/acknowledge/",
        plan_views.StudentPlanAcknowledgeView.as_view(),
        name="plan-acknowledge",
    ),
]
