"""The guideline what-if simulator over HTTP (issue 13): the same services as the pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from jigai.accounts.permissions import require
from jigai.api.auth import session_auth

from ..models import Guideline, Scenario, ScenarioRun
from ..simulator import services as sim
from .routes import READ, READ_ONE, WRITE
from .schemas import MAX_ID, _In

router = Router(auth=session_auth)


class SimScenarioIn(_In):
    name: str = Field(min_length=1, max_length=100, description="方案名称")
    guideline_id: Annotated[int, Field(ge=1, le=MAX_ID)] = Field(description="指南（草案）id")
    population: Literal["applications", "registry", "both"] = Field("applications", description="测算对象")
    source_year: Annotated[int, Field(ge=2022, le=2100)] | None = Field(
        None, description="上一年度申报的年度"
    )
    note: str = Field("", max_length=2000)


class SimScenarioOut(Schema):
    id: int
    name: str
    guideline_id: int
    population: str
    source_year: int | None


class SimRunOut(Schema):
    id: int
    scenario_id: int
    status: str = Field(description="queued / running / done / failed")
    job_id: int | None
    cases: int
    incomplete: int
    policy_version: str
    data_as_of: str | None
    guideline_state: dict[str, Any] = Field(description="测算时的指南草案：事项、参数调整、预算")
    summary: dict[str, Any] = Field(description="按类别、省辖市的汇总与预算安排（金额为元，字符串）")
    changed: int = Field(description="状态变化的个案数")
    error: str


class SimCaseOut(Schema):
    entry: dict[str, Any]
    baseline: dict[str, Any]
    scenario: dict[str, Any]


def _scenario_out(s: Scenario) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "guideline_id": s.guideline_id,
        "population": s.population,
        "source_year": s.source_year,
    }


def _run_out(r: ScenarioRun) -> dict[str, Any]:
    return {
        "id": r.pk,
        "scenario_id": r.scenario_id,
        "status": r.status,
        "job_id": r.job_id,
        "cases": r.cases,
        "incomplete": r.incomplete,
        "policy_version": r.policy_version,
        "data_as_of": r.data_as_of.isoformat() if r.data_as_of else None,
        "guideline_state": r.guideline_state,
        "summary": r.summary,
        "changed": int((r.summary or {}).get("changed", 0)),
        "error": r.error,
    }


@router.get("/simulator/scenarios", response={200: list[SimScenarioOut], **READ}, summary="指南测算方案")
def scenario_list(request: HttpRequest) -> Any:
    require(request.auth, "guideline.simulate")
    return [_scenario_out(s) for s in Scenario.objects.restrict(request.auth, "view")]


@router.post("/simulator/scenarios", response={201: SimScenarioOut, **WRITE}, summary="新建指南测算方案")
def scenario_create(request: HttpRequest, payload: SimScenarioIn) -> Any:
    require(request.auth, "guideline.simulate")
    guideline = get_object_or_404(Guideline.objects.restrict(request.auth, "view"), pk=payload.guideline_id)
    data = payload.model_dump(exclude={"guideline_id"})
    return 201, _scenario_out(sim.scenario_save(actor=request.auth, guideline=guideline, data=data))


@router.post(
    "/simulator/scenarios/{scenario_id}/runs",
    response={202: SimRunOut, **WRITE},
    summary="运行指南测算（后台任务）",
)
def run_create(request: HttpRequest, scenario_id: Annotated[int, Field(ge=1, le=MAX_ID)]) -> Any:
    require(request.auth, "guideline.simulate")
    scenario = get_object_or_404(Scenario.objects.restrict(request.auth, "view"), pk=scenario_id)
    return 202, _run_out(sim.run_start(actor=request.auth, scenario=scenario))


@router.get("/simulator/runs/{run_id}", response={200: SimRunOut, **READ_ONE}, summary="指南测算结果")
def run_detail(request: HttpRequest, run_id: Annotated[int, Field(ge=1, le=MAX_ID)]) -> Any:
    require(request.auth, "guideline.simulate")
    return _run_out(get_object_or_404(ScenarioRun.objects.restrict(request.auth, "view"), pk=run_id))


@router.get(
    "/simulator/runs/{run_id}/cases/{case_id}",
    response={200: SimCaseOut, **READ_ONE},
    summary="个案的测算说明（现行政策与指南草案）",
)
def run_case(request: HttpRequest, run_id: Annotated[int, Field(ge=1, le=MAX_ID)], case_id: str) -> Any:
    require(request.auth, "guideline.simulate")
    run = get_object_or_404(ScenarioRun.objects.restrict(request.auth, "view"), pk=run_id)
    return sim.explain_case(run, case_id)
