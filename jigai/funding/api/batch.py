"""批量初审 / 推荐 over HTTP: the same service as the queue page (jigai.funding.services.batch.batch_move) —
each application still moved, checked and audited one by one; the answer lists one outcome per id."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from jigai.api.auth import session_auth

from ..services.batch import MAX_BATCH, batch_move
from .routes import WRITE
from .schemas import MAX_ID, _In

router = Router(auth=session_auth)  # tags from the funding router it is added to


class FundingBatchIn(_In):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1, max_length=MAX_BATCH, description="申报 id（一次最多 100 件）"
    )
    action: Literal["approve", "return", "reject"] = Field(
        description="approve：县级初审通过 / 市级推荐；return：退回补正；reject：不予通过"
    )
    comment: str = Field("", max_length=2000, description="统一意见；退回补正、不予通过时必填")


class FundingBatchOutcomeOut(Schema):
    id: int = Field(description="申报 id")
    ok: bool = Field(description="是否已办理")
    tracking_no: str = Field(description="申报编号；无权办理或不存在时为空")
    status: str = Field(description="办理后的状态（中文）")
    message: str = Field(description="已办理的结果，或未办理的原因")


class FundingBatchOut(Schema):
    done: int = Field(description="已办理件数")
    refused: int = Field(description="未办理件数")
    outcomes: list[FundingBatchOutcomeOut]


@router.post(
    "/batch-transitions",
    response={200: FundingBatchOut, **WRITE},
    summary="批量初审 / 推荐",
    description=(
        "县级工信部门批量初审、市级工信部门批量推荐（或批量退回补正、不予通过），一条统一意见。"
        "每件申报仍由同一审核服务逐一办理：逐件校验权限与规则、逐件留痕；一件被拒不影响其他件。"
        "返回每件的结果（已办理 / 未办理及原因）。"
    ),
)
def application_batch(request: HttpRequest, payload: FundingBatchIn) -> Any:
    outcomes = batch_move(actor=request.auth, ids=payload.ids, move=payload.action, comment=payload.comment)
    done = sum(1 for o in outcomes if o.ok)
    return {"done": done, "refused": len(outcomes) - done, "outcomes": outcomes}
