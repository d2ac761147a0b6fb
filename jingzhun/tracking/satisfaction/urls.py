"""Satisfaction's console pages, included by `tracking/urls.py`."""

from django.urls import path

from jingzhun.tracking.satisfaction import views

urlpatterns = [
    path("satisfaction/", views.SatisfactionView.as_view(), name="satisfaction"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback-list"),
    path("feedback/<int:pk>/handle/", views.FeedbackHandleView.as_view(), name="feedback-handle"),
]
