from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("calculator", views.calculator, name="calculator"),
    path("policy/", views.policy, name="policy"),
    path("help/", views.help_index, name="help"),
    path("help/<str:role>/", views.help_role, name="help_role"),
]
