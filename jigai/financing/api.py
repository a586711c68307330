"""The financing API under /api/v1/financing/."""

from ninja import Router

router = Router(tags=["融资对接"])
