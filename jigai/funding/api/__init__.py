"""The funding REST API (tag 专项资金申报), mounted at /api/v1/funding/ in jigai/api/urls.py."""

from .crosschecks import router as crosscheck_router
from .routes import router

router.add_router("", crosscheck_router)

__all__ = ["router"]
