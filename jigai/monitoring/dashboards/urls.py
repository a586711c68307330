"""The dashboards' pages, appended to jigai/monitoring/urls.py (namespace "monitoring")."""

from django.urls import path

from . import views

urlpatterns = [
    path("dash/", views.dash, name="dash"),
    path("dash/export/", views.dash_export, name="dash_export"),
    path("dash/card/", views.dash_card, name="dash_card"),
    path("dash/card/trend/", views.dash_card, {"chart": "trend"}, name="dash_card_trend"),
    path("dash/map/henan.json", views.dash_map_geojson, name="dash_map_geojson"),
    path("warnings/", views.warning_list, name="warning_list"),
    path("warnings/export/", views.warning_export, name="warning_export"),
    path("warnings/thresholds/", views.warning_thresholds, name="warning_thresholds"),
    path("review/", views.review, name="review"),
    path("review/export.xlsx", views.review_xlsx, name="review_xlsx"),
    path("review/export.pdf", views.review_pdf, name="review_pdf"),
]
