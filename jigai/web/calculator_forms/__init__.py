"""The policy calculator page's form: built from the engine's item catalog, read from POST data, turned
into one case of the calculator contract (spec/policy-calculator.md); and the engine's answer turned
back into field errors and what the result template shows.

Every input is named by its path in the contract ("as_of", "applicant.qualifications[0].kind",
"facts.periods[1].premium"), so an engine error's `field` finds its input without a mapping table.
Repeatable rows are counted by a hidden input "rows:<path>", so adding or removing a row works as a
plain form POST without JavaScript.

- `tree`: the fields and rows, built from the catalog's fact specs and POST data;
- `catalog`: the items by group (三（一）…三（四）), the facts of `auto`;
- `form`: `CalculatorForm` (the page form, its buttons, the case, the engine's errors);
- `cleaning`: typed text → the contract's values;
- `display`: `present_result`, the engine's answer with its Chinese labels.
Imports no app of the project: the view passes the catalog and labels in; Django only for its request data.
"""

from __future__ import annotations

from jigai.web.calculator_forms.catalog import auto_facts, group_title, item_groups
from jigai.web.calculator_forms.display import percent, present_result
from jigai.web.calculator_forms.form import CASE_ID, CalculatorForm
from jigai.web.calculator_forms.tree import AUTO, FactGroup, Field, Row, build_field, build_row

__all__ = [
    "AUTO",
    "CASE_ID",
    "CalculatorForm",
    "FactGroup",
    "Field",
    "Row",
    "auto_facts",
    "build_field",
    "build_row",
    "group_title",
    "item_groups",
    "percent",
    "present_result",
]
