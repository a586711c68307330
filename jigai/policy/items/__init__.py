"""The items of section 三, declared: facts, conditions (reason code + clause), amount rules, schedule.

One module per heading of the policy — `transformation` 三（一）, `products` 三（二）, `platforms` 三（三）,
`titles` 三（四） — over the shared `Item` machinery of `base`. Imports only the rest of `jigai.policy`.
"""

from __future__ import annotations

from jigai.policy.items.base import CEILING_MARK, CROSS_CLAUSE, Item
from jigai.policy.items.platforms import PLATFORMS
from jigai.policy.items.products import PRODUCTS
from jigai.policy.items.titles import TITLES
from jigai.policy.items.transformation import TRANSFORMATION

_ITEMS: tuple[Item, ...] = (*TRANSFORMATION, *PRODUCTS, *PLATFORMS, *TITLES)

ITEMS: dict[str, Item] = {it.code: it for it in _ITEMS}
ITEM_ORDER: dict[str, int] = {it.code: i for i, it in enumerate(_ITEMS)}  # contract order = clause order


def _declared(item: str) -> Item:
    found = ITEMS.get(item) if isinstance(item, str) else None
    if found is None:
        raise ValueError(f"未知的支持项目 {item!r}，应为 {'、'.join(ITEMS)} 之一")
    return found


def annual_cap_group(item: str) -> str | None:
    """The 单个企业年度 cap an item's awards count against (三（二）1、2), as its parameter path, e.g.
    "3.2.1-award" → "3.2.1-award.enterprise_annual_cap"; None for an item without one. Items with the
    same group share one cap per enterprise and year (each clause has its own: 三（二）1 and 三（二）2
    write a sentence each). `ValueError` for an unknown item."""
    return _declared(item).total_cap


def is_fixed_amount(item: str) -> bool:
    """定额: the item's amount is a sum the policy sets ("给予…万元", the ranks' awards), not rate × base —
    read from the item's declared amount rules. `ValueError` for an unknown item."""
    return all(rule.fixed for rule in _declared(item).amounts)


__all__ = [
    "CEILING_MARK",
    "CROSS_CLAUSE",
    "ITEMS",
    "ITEM_ORDER",
    "Item",
    "annual_cap_group",
    "is_fixed_amount",
]
