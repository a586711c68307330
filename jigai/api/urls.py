"""The REST API under /api/v1/ (django-ninja): one API object, each area adds its router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="技改通 API",
    version="1",
    description="河南省企业技术改造提升行动业务系统接口（豫政办〔2022〕8号）",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

from jigai.api.policy import router as policy_router  # noqa: E402

api.add_router("/policy/", policy_router)
