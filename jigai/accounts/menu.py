"""The menus of the pages, built from permissions (never from role names in a template).

Each item names the permissions that show it (any one of them; none = every signed-in user, `public` =
everyone). Templates read `{% menu "funding" as items %}` (jigai/accounts/templatetags/menu.py). The url
names are strings, so accounts imports no app above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from .permissions import can


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permissions: tuple[str, ...] = ()
    public: bool = False


MENUS: dict[str, list[MenuItem]] = {
    "funding": [
        MenuItem("申报工作台", "funding:queue", ("application.view",)),
        MenuItem("我要申报", "funding:apply", ("application.submit",)),
        MenuItem("申报指南", "funding:guideline_list", ("guideline.manage",)),
        MenuItem("资金分配", "funding:decision_index", ("application.decide",)),
        MenuItem("公示管理", "funding:notice_list", ("notice.publish",)),
        MenuItem("评审任务", "funding:expert_list", ("expert.score",)),
        MenuItem("资金拨付", "funding:payment_list", ("payment.enter", "payment.confirm")),
        MenuItem("公开指南", "funding:public_guidelines", public=True),
        MenuItem("公示公告", "funding:public_notices", public=True),
    ],
    "registry": [
        MenuItem("企业门户", "registry:portal", ("enterprise.edit_own",)),
        MenuItem("项目", "registry:project_list", ("enterprise.edit_own",)),
        MenuItem("产品", "registry:product_list", ("enterprise.edit_own",)),
        MenuItem("平台", "registry:platform_list", ("enterprise.edit_own",)),
        MenuItem("称号", "registry:title_list", ("enterprise.edit_own",)),
        MenuItem("项目库工作台", "registry:portal", ("registry.browse",)),
        MenuItem("企业库", "registry:enterprise_list", ("registry.browse",)),
        MenuItem("项目库", "registry:project_list", ("registry.browse",)),
    ],
}


def _shown(item: MenuItem, actor: Any) -> bool:
    if item.public:
        return True
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return not item.permissions or any(can(actor, p) for p in item.permissions)


def menu_for(actor: Any, area: str) -> list[dict[str, str]]:
    """The `area`'s menu items the actor may open: [{"label", "url"}] (unknown url names are skipped)."""
    items = []
    for item in MENUS.get(area, []):
        if not _shown(item, actor):
            continue
        try:
            items.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            continue
    return items
