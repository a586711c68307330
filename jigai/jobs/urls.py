from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_index, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/download/", views.job_download, name="download"),
    path("calculator/", views.calculator_batch, name="calculator_batch"),
]
