from django.urls import path

from jingzhun.analytics import views

app_name = "analytics"

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("provincial/", views.ProvincialOverviewView.as_view(), name="provincial"),
]
