"""Publications' console pages, included by `tracking/urls.py`."""

from django.urls import path

from jingzhun.tracking.publications import views

urlpatterns = [
    path("publications/", views.ArticleListView.as_view(), name="article-list"),
    path("publications/new/", views.ArticleEditView.as_view(), name="article-new"),
    path("publications/<int:pk>/", views.ArticleEditView.as_view(), name="article-edit"),
    path(
        "publications/<int:pk>/preview/", views.ArticlePreviewView.as_view(), name="article-preview"
    ),
    path(
        "publications/<int:pk>/<slug:step>/", views.ArticleStepView.as_view(), name="article-step"
    ),
]
