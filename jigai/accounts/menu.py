"""The menus of the pages, built from permissions (never from role names in a template).

Each item names the permissions that show it (any one of them; none = every signed-in user, `public` =
everyone). Templates read `{% menu "funding" as items %}` (jigai/accounts/templatetags/menu.py). The url
names are strings, so accounts imports no app above it.

The side menu of every page (SIDE_MENU, drawn by base.html through `{% side_menu as nav %}`) is grouped
项目库 / 专项资金 / 目标监测 / 融资与用地 / 系统管理; a group shows only when it holds an item the actor may
open, and the item whose url best matches the page is marked current (it also names the breadcrumbs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.core.signals import setting_changed
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

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


# ------------------------------------------------------------------ the side menu of every page (base.html)

# The groups of the side menu, in order; a group shows only when the actor may open one of its items.
# Areas not built yet (目标监测, 融资与用地) add their items with `side_register` when they come.
SIDE_GROUPS = ("项目库", "专项资金", "目标监测", "融资与用地", "系统管理")
WORKBENCH = MenuItem("工作台", "dashboard")

SIDE_MENU: dict[str, list[MenuItem]] = {
    "项目库": [
        MenuItem("企业门户", "registry:portal", ("enterprise.edit_own",)),
        MenuItem("我的项目", "registry:project_list", ("enterprise.edit_own",)),
        MenuItem("首台（套）/首版次产品", "registry:product_list", ("enterprise.edit_own",)),
        MenuItem("平台", "registry:platform_list", ("enterprise.edit_own",)),
        MenuItem("试点示范称号", "registry:title_list", ("enterprise.edit_own",)),
        MenuItem("项目库概览", "registry:portal", ("registry.browse",)),
        MenuItem("项目审核", "registry:project_queue", ("project.check_county", "project.check_city")),
        MenuItem("待确认企业", "registry:enterprise_queue", ("enterprise.confirm",)),
        MenuItem("资质核验", "registry:qualification_queue", ("qualification.verify",)),
        MenuItem("项目库", "registry:project_list", ("registry.browse",)),
        MenuItem("应统未统项目", "registry:project_missing", ("registry.browse",)),
        MenuItem("企业库", "registry:enterprise_list", ("registry.browse",)),
        MenuItem(
            "Excel 批量导入",
            "registry_excel:index",
            ("import.enterprise", "import.qualification", "import.project", "import.progress"),
        ),
    ],
    "专项资金": [
        MenuItem("我要申报", "funding:apply", ("application.submit",)),
        MenuItem("申报工作台", "funding:queue", ("application.view",)),
        MenuItem("评审任务", "funding:expert_list", ("expert.score",)),
        MenuItem("申报指南", "funding:guideline_list", ("guideline.manage",)),
        MenuItem("资金分配", "funding:decision_index", ("application.decide",)),
        MenuItem("公示管理", "funding:notice_list", ("notice.publish",)),
        MenuItem("资金拨付", "funding:payment_list", ("payment.enter", "payment.confirm")),
        MenuItem("其他省级资金支持记录", "funding:other_fund_list", ("otherfund.view",)),
        MenuItem("公开指南", "funding:public_guidelines", public=True),
        MenuItem("公示公告", "funding:public_notices", public=True),
        MenuItem("政策计算器", "web:calculator", public=True),
        MenuItem("政策原文", "web:policy", public=True),
    ],
    "目标监测": [],
    "融资与用地": [],
    "系统管理": [
        MenuItem("用户管理", "accounts:user_list", ("user.manage",)),
        MenuItem("登录日志", "accounts:login_log", ("loginlog.view",)),
        MenuItem("安全策略", "accounts:security_overview", ("security.manage",)),
        MenuItem("账号安全", "accounts:security_accounts", ("account.unlock", "otp.reset")),
        MenuItem("后台任务与导出", "jobs:list"),
        MenuItem("修改密码", "accounts:password_change"),
        MenuItem("帮助", "web:help"),
    ],
}


def side_register(group: str, item: MenuItem) -> None:
    """Add an item to a side-menu group (an area's AppConfig.ready()); repeated calls add it once."""
    items = SIDE_MENU.setdefault(group, [])
    if item not in items:
        items.append(item)
        _LAYOUTS.clear()


@dataclass(frozen=True)
class SideMenu:
    """What base.html draws: the groups with their items (each marked `current` or not), the workbench
    link, and the current item and its group for the default breadcrumbs."""

    workbench: dict[str, Any] | None
    groups: list[dict[str, Any]]
    current: dict[str, Any] | None
    current_group: str


_URLS: dict[tuple[Any, str, str], str | None] = {}


# The groups and items (label, url) a kind of actor sees, worked out once: what is shown depends only on the
# role (permissions are a table of roles, accounts.permissions) and on being signed in and active.
_LAYOUTS: dict[tuple[Any, ...], tuple[str | None, list[tuple[str, list[tuple[str, str]]]]]] = {}


def _forget_urls(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":  # a test that swaps the url configuration
        _URLS.clear()
        _LAYOUTS.clear()


setting_changed.connect(_forget_urls, dispatch_uid="jigai_menu_forget_urls")


def _url(item: MenuItem) -> str | None:
    """The item's url, reversed once per url configuration and script prefix (every page draws the menu:
    some thirty reverse() calls a request otherwise)."""
    key = (get_urlconf(), get_script_prefix(), item.url_name)
    if key not in _URLS:
        try:
            _URLS[key] = reverse(item.url_name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def _matches(url: str, path: str) -> int:
    """How well a menu url matches the page's path: its length when the path is the url or lies under
    it (the longest wins), else -1. The site root matches only itself."""
    if path == url:
        return len(url) + 1
    if url != "/" and url.endswith("/") and path.startswith(url):
        return len(url)
    return -1


def _layout(actor: Any) -> tuple[str | None, list[tuple[str, list[tuple[str, str]]]]]:
    """(workbench url, [(group, [(label, url)])]) of what `actor` may open: each url once (the first item
    naming it wins), only groups with items."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    active = signed_in and actor.is_active
    role = getattr(actor, "role", None) if active else None
    key = (get_urlconf(), get_script_prefix(), signed_in, active, role)
    if key in _LAYOUTS:
        return _LAYOUTS[key]
    seen: set[str] = set()
    workbench = _url(WORKBENCH) if signed_in else None
    if workbench:
        seen.add(workbench)
    groups = []
    for name in [*SIDE_GROUPS, *(g for g in SIDE_MENU if g not in SIDE_GROUPS)]:
        entries = []
        for item in SIDE_MENU.get(name, []):
            if not _shown(item, actor) or (url := _url(item)) is None or url in seen:
                continue
            seen.add(url)
            entries.append((item.label, url))
        if entries:
            groups.append((name, entries))
    _LAYOUTS[key] = (workbench, groups)
    return workbench, groups


def side_menu_for(actor: Any, path: str) -> SideMenu:
    """The side menu of `actor` on the page at `path`: only items the actor may open, each url once
    (the first item naming it wins), only groups with items; the item whose url best matches the path
    is marked current."""
    workbench_url, layout = _layout(actor)
    best: tuple[int, dict[str, Any] | None, str] = (-1, None, "")
    workbench = None
    if workbench_url:
        workbench = {"label": WORKBENCH.label, "url": workbench_url, "current": False}
        best = (_matches(workbench_url, path), workbench, "")
    groups: list[dict[str, Any]] = []
    for name, items in layout:
        entries = []
        for label, url in items:
            entry = {"label": label, "url": url, "current": False}
            entries.append(entry)
            if (score := _matches(url, path)) > best[0]:
                best = (score, entry, name)
        groups.append({"label": name, "items": entries})
    score, current, current_group = best
    if current is not None and score >= 0:
        current["current"] = True
    else:
        current, current_group = None, ""
    return SideMenu(workbench=workbench, groups=groups, current=current, current_group=current_group)


def unit_label(user: Any) -> str:
    """The user's unit for the header: the enterprise's name, else the region's (one query at most)."""
    if getattr(user, "enterprise_id", None):
        return user.enterprise.name
    if getattr(user, "region_id", None):
        return user.region.name
    return ""


UNIT_SESSION_KEY = "jigai_unit"


def remember_unit(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At sign-in, keep the unit's name in the session so that no page pays a query for the header."""
    if request is not None and hasattr(request, "session"):
        request.session[UNIT_SESSION_KEY] = [user.enterprise_id, user.region_id, unit_label(user)]


def unit_for(request: Any) -> str:
    """The signed-in user's unit from the session (read again if the user's unit changed since)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    stored = getattr(request, "session", {}).get(UNIT_SESSION_KEY)
    if stored and stored[0] == user.enterprise_id and stored[1] == user.region_id:
        return stored[2]
    return unit_label(user)


user_logged_in.connect(remember_unit, dispatch_uid="jigai_remember_unit")


def breadcrumbs(nav: SideMenu, title: str, path: str) -> list[dict[str, str]]:
    """The default breadcrumbs: 工作台 (首页 when signed out) › the menu group › the current menu item ›
    the page's title; the last crumb is not a link, a crumb equal to the one before it is left out."""
    home = nav.workbench or {"label": "首页", "url": "/"}
    crumbs = [{"label": home["label"], "url": home["url"]}]
    current = nav.current
    if current is not None and current is not nav.workbench:
        crumbs.append({"label": nav.current_group, "url": ""})
        crumbs.append({"label": current["label"], "url": current["url"]})
    title = str(title or "").strip()
    if title and title != "技改通" and title != crumbs[-1]["label"] and path != crumbs[-1]["url"]:
        crumbs.append({"label": title, "url": ""})
    crumbs[-1] = {"label": crumbs[-1]["label"], "url": ""}
    return crumbs
