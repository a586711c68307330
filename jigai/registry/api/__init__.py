"""The registry's REST API (tag 企业与项目库), mounted at /api/v1/registry/ in jigai/api/urls.py."""

from .routes import router

__all__ = ["router"]
