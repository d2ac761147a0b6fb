from django.urls import path

from jingzhun.portal import followup_views, plan_views, views

app_name = "portal"

urlpatterns = [
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
    path("followup/", followup_views.StudentFollowUpView.as_view(), name="followup"),
    path("plan/", plan_views.StudentPlanView.as_view(), name="plan"),
    path(
        "plan/<int:pk>/acknowledge/",
        plan_views.StudentPlanAcknowledgeView.as_view(),
        name="plan-acknowledge",
    ),
]
