from django.urls import path

from . import views
from .dashboards.urls import urlpatterns as dashboard_urlpatterns

app_name = "monitoring"

urlpatterns: list = [
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/sum/", views.target_sum, name="target_sum"),
    path("targets/publish/", views.target_publish, name="target_publish"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("entry/", views.entry, name="entry"),
    path("windows/", views.window_list, name="window_list"),
    path("values/", views.value_list, name="value_list"),
    path("values/export/", views.value_export, name="value_export"),
    path("values/<int:pk>/", views.value_detail, name="value_detail"),
    path("import/", views.import_page, name="import"),
    path("reconcile/", views.reconcile, name="reconcile"),
]
urlpatterns += dashboard_urlpatterns
