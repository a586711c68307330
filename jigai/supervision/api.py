"""The supervision API under /api/v1/supervision/."""

from ninja import Router

router = Router(tags=["督办"])
