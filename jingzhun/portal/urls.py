from django.urls import path

from jingzhun.portal import plan_views, subsidy_views, views

app_name = "portal"

urlpatterns = [
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
    path("plan/", plan_views.StudentPlanView.as_view(), name="plan"),
    path(
        "plan/<int:pk>/acknowledge/",
        plan_views.StudentPlanAcknowledgeView.as_view(),
        name="plan-acknowledge",
    ),
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
