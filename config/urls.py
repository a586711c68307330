from django.urls import include, path

from jigai.api.urls import api

urlpatterns = [
    path("", include("jigai.web.urls")),
    path("accounts/", include("jigai.accounts.urls")),
    path("api/v1/", api.urls),
]
