from django.urls import path

from . import views

app_name = "land"

urlpatterns = [
    path("", views.index, name="index"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export/", views.case_export, name="case_export"),
    path("cases/register/", views.case_register, name="case_register"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/moves/<slug:action>/", views.case_move, name="case_move"),
    path("waivers/", views.waiver, name="waiver"),
    path("waivers/export/", views.waiver_export, name="waiver_export"),
    path("waivers/cases-export/", views.waiver_cases_export, name="waiver_cases_export"),
    path("priority/", views.priority, name="priority"),
    path("priority/export/", views.priority_export, name="priority_export"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:pk>/meet/", views.need_meet, name="need_meet"),
    path("rates/", views.rate_list, name="rate_list"),
    path("rates/export/", views.rate_export, name="rate_export"),
    path("rates/<int:pk>/delete/", views.rate_delete, name="rate_delete"),
]
