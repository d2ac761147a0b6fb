from django.urls import path

from jingzhun.assistance import (
    action_views,
    catalogue_views,
    plan_views,
    record_views,
    subsidy_views,
)

app_name = "assistance"

urlpatterns = [
    path("plans/", plan_views.PlanListView.as_view(), name="plan-list"),
    path("plans/draft/<int:case_pk>/", plan_views.PlanDraftView.as_view(), name="plan-draft"),
    path("plans/draft-all/", plan_views.PlanDraftAllView.as_view(), name="plan-draft-all"),
    path("plans/<int:pk>/", plan_views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/edit/", plan_views.PlanEditView.as_view(), name="plan-edit"),
    path("plans/<int:pk>/<slug:step>/", plan_views.PlanStepView.as_view(), name="plan-step"),
    path("approvals/", plan_views.ApprovalQueueView.as_view(), name="approval-queue"),
    path("approvals/approve/", plan_views.ApprovalBulkView.as_view(), name="approval-bulk"),
    path("queue/", action_views.ActionQueueView.as_view(), name="action-queue"),
    path(
        "queue/reassign/",
        action_views.ActionBulkReassignView.as_view(),
        name="action-bulk-reassign",
    ),
    path("actions/<int:pk>/", action_views.ActionDetailView.as_view(), name="action-detail"),
    path(
        "actions/<int:pk>/<slug:step>/", action_views.ActionStepView.as_view(), name="action-step"
    ),
    path("actions/<int:pk>/records/add/", record_views.RecordAddView.as_view(), name="record-add"),
    path(
        "records/<int:pk>/attachment/",
        record_views.RecordAttachmentView.as_view(),
        name="record-attachment",
    ),
    path("measures/", catalogue_views.MeasureListView.as_view(), name="measure-list"),
    path("measures/new/", catalogue_views.MeasureSaveView.as_view(), name="measure-new"),
    path("measures/<int:pk>/", catalogue_views.MeasureSaveView.as_view(), name="measure-edit"),
    path(
        "department-heads/",
        catalogue_views.DepartmentHeadListView.as_view(),
        name="department-heads",
    ),
    path(
        "department-heads/<int:pk>/",
        catalogue_views.DepartmentHeadSetView.as_view(),
        name="department-head-set",
    ),
    path(
        "playbooks/<int:type_pk>/<int:level>/",
        catalogue_views.PlaybookEditView.as_view(),
        name="playbook-edit",
    ),
    path("subsidies/", subsidy_views.SubsidyQueueView.as_view(), name="subsidy-queue"),
    path("subsidies/bulk/", subsidy_views.SubsidyBulkApproveView.as_view(), name="subsidy-bulk"),
    path("subsidies/export/", subsidy_views.SubsidyExportView.as_view(), name="subsidy-export"),
    path(
        "subsidies/policies/",
        subsidy_views.SubsidyPolicyListView.as_view(),
        name="subsidy-policy-list",
    ),
    path(
        "subsidies/policies/new/",
        subsidy_views.SubsidyPolicyEditView.as_view(),
        name="subsidy-policy-new",
    ),
    path(
        "subsidies/policies/<int:pk>/",
        subsidy_views.SubsidyPolicyEditView.as_view(),
        name="subsidy-policy-edit",
    ),
    path(
        "subsidies/apply/<int:student_pk>/",
        subsidy_views.SubsidyApplyForView.as_view(),
        name="subsidy-apply-for",
    ),
    path("subsidies/<int:pk>/", subsidy_views.SubsidyDetailView.as_view(), name="subsidy-detail"),
    path(
        "subsidies/<int:pk>/documents/<int:doc>/",
        subsidy_views.SubsidyDocumentView.as_view(),
        name="subsidy-document",
    ),
    path(
        "subsidies/<int:pk>/<slug:step>/",
        subsidy_views.SubsidyStepView.as_view(),
        name="subsidy-step",
    ),
]
