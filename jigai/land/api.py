"""The land API under /api/v1/land/."""

from ninja import Router

router = Router(tags=["用地保障"])
