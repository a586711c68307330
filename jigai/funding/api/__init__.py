"""The funding REST API (tag 专项资金申报), mounted at /api/v1/funding/ in jigai/api/urls.py."""

from .batch import router as batch_router
from .crosschecks import router as crosscheck_router
from .routes import router
from .simulator import router as simulator_router

router.add_router("", crosscheck_router)
router.add_router("", batch_router)  # POST /batch-transitions (批量初审 / 推荐)
router.add_router("", simulator_router)  # 指南测算 (issue 13)

__all__ = ["router"]
