"""/registry/excel/… — the registry's Excel import pages and exports (jigai/registry/excel/views.py)."""

from django.urls import path

from .excel import views

app_name = "registry_excel"

urlpatterns = [
    path("import/", views.import_index, name="index"),
    path("import/<slug:kind>/", views.import_page, name="import"),
    path("import/<slug:kind>/template/", views.template_download, name="template"),
    path("import/<slug:kind>/errors/<str:token>/", views.error_download, name="errors"),
    path("export/<slug:kind>/", views.export, name="export"),
]
