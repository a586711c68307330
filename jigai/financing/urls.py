"""Pages of the financing area under /financing/."""

from django.urls import path

from . import views

app_name = "financing"

urlpatterns = [
    # whitelist (city proposes, province reviews and publishes, government reads)
    path("whitelist/", views.whitelist_list, name="whitelist_list"),
    path("whitelist/export.xlsx", views.whitelist_export, name="whitelist_export"),
    path("whitelist/propose/", views.propose, name="propose"),
    path("whitelist/review/", views.review, name="review"),
    path("whitelist/<int:pk>/", views.whitelist_detail, name="whitelist_detail"),
    path("whitelist/<int:pk>/move/", views.whitelist_move, name="whitelist_move"),
    # the bank portal
    path("portal/", views.bank_list, name="bank_list"),
    path("portal/export.xlsx", views.bank_export, name="bank_export"),
    path("portal/<int:pk>/", views.bank_detail, name="bank_detail"),
    # the enterprise's consent and who looked
    path("consent/", views.consent, name="consent"),
    path("consent/<int:pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.xlsx", views.access_log_export, name="access_log_export"),
    # matchmaking events and outcomes
    path("events/", views.event_list, name="event_list"),
    path("events/export.xlsx", views.event_export, name="event_export"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("outcomes/export.xlsx", views.outcome_export, name="outcome_export"),
    path("outcomes/<int:pk>/check/", views.outcome_check, name="outcome_check"),
    # figures
    path("stats/", views.stats, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
]
