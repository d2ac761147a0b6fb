from django.urls import path

from jingzhun.portal import feedback_views, home_views, plan_views, policy_views, views

app_name = "portal"

urlpatterns = [
    path("", home_views.PortalHomeView.as_view(), name="home"),
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
    path("plan/", plan_views.StudentPlanView.as_view(), name="plan"),
    path(
        "plan/<int:pk>/acknowledge/",
        plan_views.StudentPlanAcknowledgeView.as_view(),
        name="plan-acknowledge",
    ),
    path(
        "plan/actions/<int:pk>/rate/", feedback_views.ActionRateView.as_view(), name="action-rate"
    ),
    path("policies/", policy_views.PolicyListView.as_view(), name="policy-list"),
    path("policies/<int:pk>/", policy_views.PolicyDetailView.as_view(), name="policy-detail"),
    path("feedback/", feedback_views.FeedbackView.as_view(), name="feedback"),
]
