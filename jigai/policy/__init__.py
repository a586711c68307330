"""The rules engine of section 三 (支持政策) of 豫政办〔2022〕8号 — plain Python, no Django.

Public API (the contract: /work/shared/spec/policy-calculator.md):

- `evaluate_request(body, *, overrides=None, round_year=None)` → response dict; `RequestError` when the
  body is refused. Overrides need `round_year` and apply only to the cases of that application year.
- `evaluate_case(case, *, explain=True, overrides=None, round_year=None)` → one item result; `CaseError`
  on bad input.
- `validate_overrides(overrides, *, round_year=None)` → the cleaned override set (`RequestError` naming a
  bad key, or a value beyond the policy's bound).
- `annual_cap_group(item)` → the 单个企业年度 cap an item counts against, or None; `is_fixed_amount(item)`
  → whether the item's amount is a sum the policy sets (定额).
- `item_catalog(as_of=None)` → the items with their fact fields, for forms.
- `REASON_LABELS`, `LIMIT_LABELS`, `STAGE_LABELS`, `QUALIFICATION_LABELS`: Chinese text of the codes.
- `parameter_table(as_of=None)` → every parameter path with value, clause and original sentence.
"""

from __future__ import annotations

from jigai.policy.catalog import item_catalog
from jigai.policy.engine import evaluate_case, evaluate_request
from jigai.policy.errors import CaseError, RequestError
from jigai.policy.items import annual_cap_group, is_fixed_amount
from jigai.policy.labels import LIMIT_LABELS, QUALIFICATION_LABELS, REASON_LABELS, STAGE_LABELS
from jigai.policy.params import ParameterBook, default_book, parameter_table, validate_overrides

__all__ = [
    "LIMIT_LABELS",
    "QUALIFICATION_LABELS",
    "REASON_LABELS",
    "STAGE_LABELS",
    "CaseError",
    "ParameterBook",
    "RequestError",
    "annual_cap_group",
    "default_book",
    "evaluate_case",
    "evaluate_request",
    "is_fixed_amount",
    "item_catalog",
    "parameter_table",
    "validate_overrides",
]
