from django.urls import path

from jingzhun.portal import (
    destination_views,
    feedback_views,
    followup_views,
    home_views,
    plan_views,
    policy_views,
    push_views,
    subsidy_views,
    views,
)

app_name = "portal"

urlpatterns = [
    path("", home_views.PortalHomeView.as_view(), name="home"),
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
    path("followup/", followup_views.StudentFollowUpView.as_view(), name="followup"),
    path("destination/", destination_views.StudentDestinationView.as_view(), name="destination"),
    path("plan/", plan_views.StudentPlanView.as_view(), name="plan"),
    path(
        "plan/<int:pk>/acknowledge/",
        plan_views.StudentPlanAcknowledgeView.as_view(),
        name="plan-acknowledge",
    ),
    path("pushes/", push_views.StudentPushListView.as_view(), name="push-list"),
    path("pushes/<int:pk>/", push_views.StudentPushDetailView.as_view(), name="push-detail"),
    path(
        "pushes/<int:pk>/respond/",
        push_views.StudentPushRespondView.as_view(),
        name="push-respond",
    ),
    path(
        "plan/actions/<int:pk>/rate/", feedback_views.ActionRateView.as_view(), name="action-rate"
    ),
    path("policies/", policy_views.PolicyListView.as_view(), name="policy-list"),
    path("policies/<int:pk>/", policy_views.PolicyDetailView.as_view(), name="policy-detail"),
    path("feedback/", feedback_views.FeedbackView.as_view(), name="feedback"),
    path("subsidies/", subsidy_views.StudentSubsidyListView.as_view(), name="subsidies"),
    path(
        "subsidies/<int:policy_pk>/apply/",
        subsidy_views.StudentSubsidyApplyView.as_view(),
        name="subsidy-apply",
    ),
    path(
        "subsidies/mine/<int:pk>/",
        subsidy_views.StudentSubsidyDetailView.as_view(),
        name="subsidy-detail",
    ),
    path(
        "subsidies/mine/<int:pk>/resubmit/",
        subsidy_views.StudentSubsidyResubmitView.as_view(),
        name="subsidy-resubmit",
    ),
]
