from django.urls import path

from jingzhun.identification import model_views, review_views, rule_views, run_views

app_name = "identification"

urlpatterns = [
    path("runs/", run_views.RunListView.as_view(), name="run-list"),
    path("runs/<int:pk>/", run_views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/retry/", run_views.RunRetryView.as_view(), name="run-retry"),
    path("runs/schedule/", run_views.RunScheduleView.as_view(), name="run-schedule"),
    path("review/", review_views.ReviewView.as_view(), name="review"),
    path("review/bulk/", review_views.BulkDecideView.as_view(), name="case-bulk"),
    path("cases/new/", review_views.ManualAddView.as_view(), name="case-add"),
    path(
        "cases/<int:pk>/<slug:action>/", review_views.CaseActionView.as_view(), name="case-action"
    ),
    path("rules/", rule_views.RuleListView.as_view(), name="rule-list"),
    path("rules/new/", rule_views.RuleEditView.as_view(), name="rule-new"),
    path("rules/<int:pk>/edit/", rule_views.RuleEditView.as_view(), name="rule-edit"),
    path(
        "rules/<int:pk>/deactivate/",
        rule_views.RuleDeactivateView.as_view(),
        name="rule-deactivate",
    ),
    path("models/", model_views.RiskModelListView.as_view(), name="model-list"),
    path(
        "models/trainings/<int:pk>/retry/",
        model_views.TrainingRetryView.as_view(),
        name="model-training-retry",
    ),
    path(
        "models/<int:pk>/approve/", model_views.RiskModelApproveView.as_view(), name="model-approve"
    ),
]
