"""Scenarios saved, replayed as background jobs (jigai/jobs, with progress), one changed case explained,
and the draft published as the guideline — province only (guideline.simulate / guideline.manage)."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.audit.services import audit_record, snapshot
from jigai.core.errors import Conflict, DomainError, NotFound

from ..models import Guideline, GuidelineStatus, Population, RunStatus, Scenario, ScenarioRun
from . import population as pop
from .replay import compare

HANDLER = "jigai.funding.simulator.services.run_job"
MAX_COMPARED = 3


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    name = str(data.get("name") or "").strip()
    if not name:
        raise DomainError("请填写方案名称。", field="name")
    population = data.get("population") or Population.APPLICATIONS
    if population not in Population.values:
        raise DomainError("请选择测算对象。", field="population")
    source_year = data.get("source_year")
    if source_year in (None, ""):
        source_year = None
    else:
        try:
            source_year = int(source_year)
        except (TypeError, ValueError):
            raise DomainError("申报年度应为四位年份。", field="source_year") from None
        if not 2022 <= source_year <= 2100:
            raise DomainError("申报年度应在 2022 年（政策施行）之后。", field="source_year")
    return {
        "name": name[:100],
        "population": population,
        "source_year": source_year,
        "note": str(data.get("note") or ""),
    }


def scenario_save(
    *, actor: Any, data: dict[str, Any], guideline: Guideline, scenario: Scenario | None = None
) -> Scenario:
    """Create or change a scenario of a guideline (of any status: a published one is a yardstick)."""
    require(actor, "guideline.simulate")
    clean = _clean(data)
    with transaction.atomic():
        before = snapshot(scenario) if scenario else None
        if scenario is None:
            scenario = Scenario(guideline=guideline, created_by=actor)
        for key, value in clean.items():
            setattr(scenario, key, value)
        scenario.guideline = guideline
        scenario.save()
        audit_record(
            actor=actor,
            action="update" if before else "create",
            obj=scenario,
            before=before,
            after=snapshot(scenario),
        )
    return scenario


def scenario_delete(*, actor: Any, scenario: Scenario) -> None:
    require(actor, "guideline.simulate")
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=scenario, before=snapshot(scenario))
        scenario.delete()


def guideline_state(guideline: Guideline) -> dict[str, Any]:
    """What the draft says now: the run keeps it, so the figures can be reproduced later."""
    return {
        "id": guideline.pk,
        "title": guideline.title,
        "year": guideline.year,
        "status": guideline.status,
        "items": list(guideline.items or []),
        "overrides": dict(guideline.parameter_overrides or {}),
        "budgets": {b.item_group: str(b.amount) for b in guideline.budgets.all()},
    }


def run_start(*, actor: Any, scenario: Scenario) -> ScenarioRun:
    """Queue a run of the scenario as a background job (its progress page follows it)."""
    from jigai.jobs.services import job_start

    require(actor, "guideline.simulate")
    with transaction.atomic():
        run = ScenarioRun.objects.create(
            scenario=scenario, created_by=actor, guideline_state=guideline_state(scenario.guideline)
        )
        job = job_start(
            actor=actor,
            permission="guideline.simulate",
            kind="simulate.guideline",
            label=f"指南测算：{scenario.name}",
            handler=HANDLER,
            params={"run_id": run.pk},
        )
        run.job = job
        run.save(update_fields=["job"])
        audit_record(actor=actor, action="simulate", obj=scenario, after={"run": run.pk})
    return run


def _evaluate(cases: list[pop.Case], overrides: dict[str, Any] | None) -> tuple[list, str]:
    """The engine over the cases, in their order. A guideline's overrides belong to its round: each case
    is judged as if the draft had been the guideline of its own application year (its `as_of` year)."""
    from jigai.policy import RequestError, evaluate_request

    by_year: dict[int, list[int]] = {}
    for i, c in enumerate(cases):
        by_year.setdefault(int(str(c.case.get("as_of", "0000"))[:4] or 0), []).append(i)
    results: list[Any] = [None] * len(cases)
    version = ""
    for year, indexes in sorted(by_year.items()):
        try:
            response = evaluate_request(
                {"cases": [cases[i].case for i in indexes], "explain": False},
                overrides=overrides or None,
                round_year=year if overrides else None,
            )
        except RequestError as exc:
            raise DomainError(f"指南草案的参数调整有误：{exc.message}", field="parameter_overrides") from None
        for i, result in zip(indexes, response["results"], strict=True):
            results[i] = result
        version = response["policy"].get("version", version)
    return results, version


def replay(run: ScenarioRun, progress: Any = None) -> ScenarioRun:
    """Build the population, evaluate it twice (the policy as it stands; the draft) and keep the comparison.
    `progress(done, total, message)` is the job's reporter."""
    started = time.perf_counter()
    scenario = run.scenario
    state = run.guideline_state or guideline_state(scenario.guideline)
    report = progress or (lambda *a, **k: None)
    data_as_of = timezone.now()
    today = timezone.localdate()
    everything: list[pop.Case] = []
    incomplete = 0
    if scenario.population in (Population.APPLICATIONS, Population.BOTH):
        year = scenario.source_year or int(state["year"]) - 1
        report(0, 4, f"读取 {year} 年度已提交的申报……")
        everything += pop.from_applications(year)
    if scenario.population in (Population.REGISTRY, Population.BOTH):
        report(1, 4, "按项目库数据构建测算对象（只用已核验的资质）……")
        cases, incomplete = pop.from_registry(today)
        everything += cases
    n = len(everything)
    report(2, 4, f"按现行政策测算 {n} 件……")
    baseline, version = _evaluate(everything, None)
    report(3, 4, f"按指南草案测算 {n} 件……")
    scenario_results, version = _evaluate(everything, state["overrides"])
    budgets = {g: Decimal(v) for g, v in (state.get("budgets") or {}).items()}
    summary, changes = compare(
        everything, baseline, scenario_results, open_items=set(state["items"]), budgets=budgets
    )
    run.summary = summary
    run.changes = changes
    run.cases = n
    run.incomplete = incomplete
    run.policy_version = version
    run.data_as_of = data_as_of
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.seconds = Decimal(f"{time.perf_counter() - started:.2f}")
    run.save()
    report(4, 4, "测算完成。")
    return run


def run_job(job: Any, progress: Any) -> Any:
    """The background job's handler (jigai/jobs)."""
    from jigai.jobs.services import JobOutcome

    run = ScenarioRun.objects.select_related("scenario__guideline").get(pk=job.params["run_id"])
    ScenarioRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    try:
        run = replay(run, progress)
    except DomainError as error:
        ScenarioRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=error.message)
        raise
    except Exception:
        ScenarioRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error="测算出错，请联系管理员。"
        )
        raise
    total = run.summary.get("total", {})
    return JobOutcome(
        f"测算完成：{run.cases} 件，现行政策下符合 {total.get('baseline_eligible', 0)} 件，"
        f"草案下符合 {total.get('scenario_eligible', 0)} 件，状态变化 {run.summary.get('changed', 0)} 件。"
    )


def explain_case(run: ScenarioRun, case_id: str) -> dict[str, Any]:
    """The explanation of one changed case, under the policy as it stands and under the draft."""
    from jigai.policy import evaluate_case

    entry = next((c for c in run.changes or [] if c["id"] == case_id), None)
    if entry is None:
        raise NotFound("未找到该个案。")
    state = run.guideline_state
    case = entry["case"]
    round_year = int(case["as_of"][:4])
    base = evaluate_case(case, explain=True)
    if entry["item"] in state.get("items", []):
        draft = evaluate_case(
            case, explain=True, overrides=state.get("overrides") or None, round_year=round_year
        )
    else:
        draft = {
            "eligible": False,
            "amount": "0",
            "explanation": ["指南草案未开放该申报事项。"],
            "reasons": [],
        }
    return {"entry": entry, "baseline": base, "scenario": draft}


def compared_runs(actor: Any, run_ids: list[Any]) -> list[ScenarioRun]:
    """Up to three finished runs, side by side."""
    ids = []
    for raw in run_ids:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            continue
    if len(ids) > MAX_COMPARED:
        raise DomainError(f"最多同时比较 {MAX_COMPARED} 个方案。", field="runs")
    runs = {
        r.pk: r
        for r in ScenarioRun.objects.restrict(actor, "view")
        .filter(pk__in=ids, status=RunStatus.DONE)
        .select_related("scenario__guideline")
    }
    return [runs[i] for i in ids if i in runs]


def publish_draft(*, actor: Any, scenario: Scenario) -> Guideline:
    """Publish the scenario's draft guideline (the guideline service checks budgets and the window)."""
    from ..services.guidelines import guideline_publish

    require(actor, "guideline.manage")
    guideline = scenario.guideline
    if guideline.status != GuidelineStatus.DRAFT:
        raise Conflict("该指南已发布。")
    return guideline_publish(actor=actor, guideline=guideline)
