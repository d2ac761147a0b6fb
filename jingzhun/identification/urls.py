from django.urls import path

from jingzhun.identification import review_views, views

app_name = "identification"

urlpatterns = [
    path("runs/", views.RunListView.as_view(), name="run-list"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/schedule/", views.RunScheduleView.as_view(), name="run-schedule"),
    path("review/", review_views.ReviewView.as_view(), name="review"),
    path("review/bulk/", review_views.BulkDecideView.as_view(), name="case-bulk"),
    path("cases/new/", views.ManualAddView.as_view(), name="case-add"),
    path(
        "cases/<int:pk>/<slug:action>/", review_views.CaseActionView.as_view(), name="case-action"
    ),
    path("rules/", views.RuleListView.as_view(), name="rule-list"),
    path("rules/new/", views.RuleEditView.as_view(), name="rule-new"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule-edit"),
    path("rules/<int:pk>/deactivate/", views.RuleDeactivateView.as_view(), name="rule-deactivate"),
    path("behaviour/", views.BehaviourListView.as_view(), name="behaviour-list"),
    path("models/", views.RiskModelListView.as_view(), name="model-list"),
    path("models/<int:pk>/approve/", views.RiskModelApproveView.as_view(), name="model-approve"),
]
