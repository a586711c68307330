"""The population a scenario replays over, as calculator cases with what the comparison needs to know of
each (enterprise, city, score). Registry cases are built with the registry's own case builder (verified
qualifications only); an object whose facts are incomplete is counted, not evaluated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..models import Application, AppStatus


@dataclass
class Case:
    case: dict[str, Any]
    source: str  # "application" or "registry"
    enterprise_id: int
    enterprise_name: str
    city: str  # the city's region code (Jiyuan counts as a city)
    score: Decimal | None = None
    label: str = ""


def city_of(path: str) -> str:
    """'410000/410300/410305' → '410300'; a city's own path → its code."""
    parts = [p for p in (path or "").split("/") if p]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else "")


def from_applications(year: int) -> Iterator[Case]:
    """Every application of `year` that reached review, with the case frozen when it was submitted."""
    qs = (
        Application.objects.filter(guideline__year=year)
        .exclude(status__in=[AppStatus.DRAFT, AppStatus.WITHDRAWN])
        .select_related("enterprise__region")
        .order_by("pk")
    )
    for app in qs.iterator(chunk_size=2000):
        case = (app.snapshot or {}).get("case")
        if not case:
            continue
        case = {**case, "id": f"application-{app.pk}"}
        yield Case(
            case=case,
            source="application",
            enterprise_id=app.enterprise_id,
            enterprise_name=app.enterprise.name,
            city=city_of(app.enterprise.region.path),
            score=app.score_avg,
            label=f"申报 {app.pk}",
        )


def verified_qualifications(as_of: dt.date) -> dict[int, list[dict[str, str]]]:
    """{enterprise id: the calculator's qualifications verified and in force on as_of} for every
    enterprise, in one query — what registry.facts.applicant reads one enterprise at a time (same filter,
    same order, same shape), so a replay over the whole registry does not ask once per enterprise."""
    from jigai.registry.models import CALCULATOR_QUALIFICATIONS, Qualification

    out: dict[int, list[dict[str, str]]] = defaultdict(list)
    rows = (
        Qualification.objects.filter(kind__in=CALCULATOR_QUALIFICATIONS)
        .verified_on(as_of)
        .order_by("enterprise_id", "kind", "valid_from", "pk")
        .values_list("enterprise_id", "kind", "valid_from", "valid_to")
    )
    for enterprise_id, kind, valid_from, valid_to in rows.iterator(chunk_size=5000):
        out[enterprise_id].append(
            {"kind": str(kind), "valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat()}
        )
    return out


def applicant_of(enterprise: Any, qualifications: dict[int, list[dict[str, str]]]) -> dict[str, Any]:
    """registry.facts.applicant from the prefetched qualifications (see verified_qualifications)."""
    return {
        "uscc": enterprise.uscc,
        "in_henan": enterprise.in_henan,
        "qualifications": list(qualifications.get(enterprise.pk, ())),
    }


# The columns a registry case reads (the rest of a project row — texts, files, dates of the workflow — is
# not loaded for 100,000 projects).
_PROJECT_COLUMNS = (
    "id",
    "name",
    "category",
    "is_machine_replacement",
    "equipment_investment",
    "software_investment",
    "machine_purchase_investment",
    "enterprise__id",
    "enterprise__name",
    "enterprise__uscc",
    "enterprise__region_id",
    "enterprise__in_henan_declared",
    "enterprise__in_henan_confirmed",
    "enterprise__region__path",
)


def from_registry(as_of: dt.date, progress: Callable[[int], None] | None = None) -> tuple[list[Case], int]:
    """Every project in the library and every product, platform and title, for each item its shape fits;
    returns (cases, how many object × item pairs had incomplete facts)."""
    from jigai.registry import facts as registry_facts
    from jigai.registry.models import LibraryStatus, Platform, Product, Project, Title

    qualifications = verified_qualifications(as_of)
    applicants: dict[int, dict[str, Any]] = {}
    out: list[Case] = []
    incomplete = 0
    seen = 0
    querysets = [
        Project.objects.filter(library_status=LibraryStatus.IN_LIBRARY)
        .select_related("enterprise__region")
        .only(*_PROJECT_COLUMNS),
        Product.objects.select_related("enterprise__region").prefetch_related(
            "recognitions", "invoices", "insurance_policies__periods"
        ),
        Platform.objects.select_related("enterprise__region"),
        Title.objects.select_related("enterprise__region"),
    ]
    for qs in querysets:
        for obj in qs.order_by("pk").iterator(chunk_size=2000):
            seen += 1
            if progress is not None and seen % 1000 == 0:
                progress(seen)
            ent = obj.enterprise
            for item in registry_facts.items_for(obj):
                try:
                    facts = registry_facts.facts_for(obj=obj, item=item, as_of=as_of)
                except registry_facts.FactsError:
                    incomplete += 1
                    continue
                if ent.pk not in applicants:
                    applicants[ent.pk] = applicant_of(ent, qualifications)
                case = {
                    "id": f"{obj._meta.model_name}-{obj.pk}-{item}",
                    "item": item,
                    "as_of": as_of.isoformat(),
                    "applicant": applicants[ent.pk],
                    "other_provincial_support": False,
                    "facts": facts,
                }
                out.append(
                    Case(
                        case=case,
                        source="registry",
                        enterprise_id=ent.pk,
                        enterprise_name=ent.name,
                        city=city_of(ent.region.path),
                        label=str(obj)[:100],
                    )
                )
    return out, incomplete
