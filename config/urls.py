from django.urls import include, path

from jigai.accounts.views import dashboard
from jigai.api.urls import api
from jigai.registry.views import register as registry_register

urlpatterns = [
    path("", include("jigai.web.urls")),
    path("accounts/", include("jigai.accounts.urls")),
    path("dashboard/", dashboard, name="dashboard"),
    path("api/v1/", api.urls),
    path("notifications/", include("jigai.notifications.urls")),
    path("jobs/", include("jigai.jobs.urls")),
    path("registry/excel/", include("jigai.registry.excel_urls")),
    path("registry/", include("jigai.registry.urls")),
    path("monitoring/", include("jigai.monitoring.urls")),
    path("supervision/", include("jigai.supervision.urls")),
    path("financing/", include("jigai.financing.urls")),
    path("land/", include("jigai.land.urls")),
    path("workdays/", include("jigai.workdays.urls")),
    path("audit/", include("jigai.audit.urls")),
    path("register/", registry_register, name="register"),
    path("", include("jigai.funding.urls")),
]

handler403 = "jigai.web.errors.permission_denied"
handler404 = "jigai.web.errors.page_not_found"
