"""Pages of supervision under /supervision/ (config/urls.py); the public pages need no sign-in."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("ticket-replies/<int:pk>/file/", views.reply_file, name="reply_file"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("ranking/", views.ranking_index, name="ranking_index"),
    path("ranking/data/", views.green_data, name="green_data"),
    path("ranking/rules/", views.rule_list, name="rule_list"),
    path("rankings/<int:pk>/", views.ranking_detail, name="ranking_detail"),
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/file/", views.practice_file, name="practice_file"),
    path("public/green-ranking/", views.public_rankings, name="public_rankings"),
    path("public/green-ranking/<int:pk>/", views.public_ranking, name="public_ranking"),
    path("public/practices/", views.public_practices, name="public_practices"),
    path("public/practices/<int:pk>/", views.public_practice, name="public_practice"),
    path("public/practices/<int:pk>/file/", views.public_practice_file, name="public_practice_file"),
]
