"""The monitoring API under /api/v1/monitoring/."""

from ninja import Router

router = Router(tags=["目标监测"])
