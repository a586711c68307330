"""The funding REST API (tag 专项资金申报), mounted at /api/v1/funding/ in jigai/api/urls.py."""

from .routes import router

__all__ = ["router"]
