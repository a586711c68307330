"""The REST API under /api/v1/ (django-ninja): one API object, each area adds its router."""

from ninja import NinjaAPI, Swagger

api = NinjaAPI(
    title="技改通 API",
    version="1",
    description="河南省企业技术改造提升行动业务系统接口（豫政办〔2022〕8号）",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from ninja's bundled static files; no call to the online validator (no internet, CSP self).
    docs=Swagger(settings={"validatorUrl": None}),
)

from jigai.api.policy import router as policy_router  # noqa: E402

api.add_router("/policy/", policy_router)

# Domain errors, schema errors, 401/404 → HTTP in one place (jigai/api/errors.py).
from jigai.api.errors import install_error_handlers  # noqa: E402

install_error_handlers(api)

from jigai.registry.api import router as registry_router  # noqa: E402

api.add_router("/registry/", registry_router)

from jigai.funding.api import router as funding_router  # noqa: E402

api.add_router("/funding/", funding_router)

from jigai.supervision.api import router as supervision_router  # noqa: E402

api.add_router("/supervision/", supervision_router)

from jigai.financing.api import router as financing_router  # noqa: E402

api.add_router("/financing/", financing_router)

from jigai.land.api import router as land_router  # noqa: E402

api.add_router("/land/", land_router)

from jigai.monitoring.api import router as monitoring_router  # noqa: E402

api.add_router("/monitoring/", monitoring_router)
