from django.urls import path

from jingzhun.portal import plan_views, push_views, views

app_name = "portal"

urlpatterns = [
    path("apply/", views.CaseApplyView.as_view(), name="apply"),
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
]
