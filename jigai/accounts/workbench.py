"""The workbench (/dashboard/): after sign-in every user sees links to their role's work.

Data-driven: each area appends its links here (in its AppConfig.ready() or at import of its urls module):

    from jigai.accounts.workbench import register
    register(["county", "city"], "项目审核", "registry:project_review", group="项目库", description="…")

or appends a tuple `(role, label, url_name)` to WORKBENCH_LINKS. `role` is a role value, a list of them, or
"*" for every role. A link whose url name does not resolve (its area not built yet) is simply not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from .scope import is_active_actor

ALL = "*"


@dataclass(frozen=True)
class WorkbenchLink:
    roles: str | Iterable[str]
    label: str
    url_name: str
    description: str = ""
    group: str = "常用"

    def for_role(self, role: str) -> bool:
        if isinstance(self.roles, str):
            return self.roles in (ALL, role)
        return role in self.roles or ALL in self.roles


WORKBENCH_LINKS: list[WorkbenchLink | tuple] = []


def register(
    roles: str | Iterable[str], label: str, url_name: str, *, description: str = "", group: str = "常用"
) -> None:
    link = WorkbenchLink(
        roles if isinstance(roles, str) else tuple(roles), label, url_name, description, group
    )
    if link not in WORKBENCH_LINKS:  # ready() may run twice in tests
        WORKBENCH_LINKS.append(link)


def _as_link(item: WorkbenchLink | tuple) -> WorkbenchLink:
    return item if isinstance(item, WorkbenchLink) else WorkbenchLink(*item)


def links_for(actor: Any) -> list[dict[str, str]]:
    """The actor's links whose url exists, in registration order: label, url, description, group."""
    if not is_active_actor(actor):
        return []
    result = []
    for link in map(_as_link, WORKBENCH_LINKS):
        if not link.for_role(actor.role):
            continue
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        result.append({"label": link.label, "url": url, "description": link.description, "group": link.group})
    return result


def grouped_links_for(actor: Any) -> list[tuple[str, list[dict[str, str]]]]:
    groups: dict[str, list[dict[str, str]]] = {}
    for link in links_for(actor):
        groups.setdefault(link["group"], []).append(link)
    return list(groups.items())


# Accounts' own links.
register(
    "admin",
    "用户管理",
    "accounts:user_list",
    group="系统管理",
    description="开通账号、分配角色与区划、重置密码、停用",
)
register(
    "auditadmin",
    "登录日志",
    "accounts:login_log",
    group="系统管理",
    description="登录成功、失败、锁定、退出与超时记录",
)
register(
    "secadmin",
    "安全策略",
    "accounts:security_overview",
    group="系统管理",
    description="口令、锁定、会话与双因素认证设置，绑定情况",
)
register(
    "secadmin",
    "账号安全",
    "accounts:security_accounts",
    group="系统管理",
    description="解除登录锁定、重置身份验证器",
)
register(
    ["province", "finance", "admin", "secadmin", "auditadmin"],
    "恢复码",
    "accounts:otp_codes",
    group="我的账号",
    description="双因素认证的一次性恢复码：重新生成",
)
register(ALL, "修改密码", "accounts:password_change", group="我的账号", description="密码每90天须修改一次")
# 资质核验 (registry, issue 7): the roles holding "qualification.verify" vouch for qualifications.
register(
    ["province", "county"],
    "资质核验",
    "registry:qualification_queue",
    group="企业与项目库",
    description="对照证书或名单核验企业填报的资质（核验后方计入测算）",
)


# ---------------------------------------------------------------------------------------------- counters
# The workbench's tiles: what waits for the role, each a link to the filtered queue. Areas register them in
# their AppConfig.ready() (accounts imports no app above it):
#
#     register_counter("county", "待初审", "funding:queue?status=submitted", lambda actor: ...)
#
# `url` is a url name with an optional query string; `count_fn(actor) -> int` is a cheap scoped COUNT.


@dataclass(frozen=True)
class WorkbenchCounter:
    roles: str | tuple[str, ...]
    label: str
    url: str
    count_fn: Callable[[Any], int]

    def for_role(self, role: str) -> bool:
        if isinstance(self.roles, str):
            return self.roles in (ALL, role)
        return role in self.roles or ALL in self.roles


WORKBENCH_COUNTERS: list[WorkbenchCounter] = []


def register_counter(
    roles: str | Iterable[str], label: str, url: str, count_fn: Callable[[Any], int]
) -> None:
    roles = roles if isinstance(roles, str) else tuple(roles)
    counter = WorkbenchCounter(roles, label, url, count_fn)
    for i, existing in enumerate(WORKBENCH_COUNTERS):  # ready() may run twice in tests: replace, not add
        if (existing.roles, existing.label) == (roles, label):
            WORKBENCH_COUNTERS[i] = counter
            return
    WORKBENCH_COUNTERS.append(counter)


def _resolve(url: str) -> str | None:
    name, _, query = url.partition("?")
    try:
        path = reverse(name)
    except NoReverseMatch:
        return None
    return f"{path}?{query}" if query else path


def counters_for(actor: Any) -> list[dict[str, Any]]:
    """The actor's tiles in registration order: label, url, count. A tile whose url does not resolve is left
    out."""
    if not is_active_actor(actor):
        return []
    result = []
    for counter in WORKBENCH_COUNTERS:
        if not counter.for_role(actor.role):
            continue
        url = _resolve(counter.url)
        if url is None:
            continue
        result.append({"label": counter.label, "url": url, "count": int(counter.count_fn(actor))})
    return result


# Recent in-app messages: the notifications app registers `fn(actor, limit) -> list` here.
_RECENT_MESSAGES: list[Callable[[Any, int], Any]] = []


def register_recent_messages(fn: Callable[[Any, int], Any]) -> None:
    _RECENT_MESSAGES[:] = [fn]


def recent_messages_for(actor: Any, limit: int = 5) -> list[Any] | None:
    """The actor's latest messages, or None when no app provides them."""
    if not _RECENT_MESSAGES or not is_active_actor(actor):
        return None
    return list(_RECENT_MESSAGES[0](actor, limit))


# --------------------------------------------------------------------------------------------- deadlines
# Near deadlines (issue 9): guideline closing dates, review deadlines, the end of notice periods, entry
# windows. Each area registers `fn(actor, today, until) -> Iterable[Deadline]` (its own dates in the
# actor's scope between today and `until`); the workbench shows those within DEADLINE_DAYS, soonest first.

DEADLINE_DAYS = 14


@dataclass(frozen=True)
class Deadline:
    label: str  # what ends: "申报截止：2026年度技改专项资金申报指南"
    due: Any  # a date (Asia/Shanghai)
    url: str  # where to act on it
    kind: str = ""  # 申报截止 / 审核时限 / 公示截止 / 填报截止 …


_DEADLINE_SOURCES: dict[str, Callable[[Any, Any, Any], Iterable[Deadline]]] = {}


def register_deadlines(key: str, fn: Callable[[Any, Any, Any], Iterable[Deadline]]) -> None:
    """`key` names the source (registering the same key again replaces it: ready() may run twice)."""
    _DEADLINE_SOURCES[key] = fn


def deadlines_for(actor: Any, *, today: Any = None, days: int = DEADLINE_DAYS) -> list[dict[str, Any]]:
    """The actor's deadlines from today to `days` ahead, soonest first: label, due, url, kind, days_left."""
    import datetime as dt

    from django.utils import timezone

    if not is_active_actor(actor):
        return []
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=days)
    found = []
    for fn in _DEADLINE_SOURCES.values():
        for d in fn(actor, today, until):
            if today <= d.due <= until:
                found.append(
                    {
                        "label": d.label,
                        "due": d.due,
                        "url": d.url,
                        "kind": d.kind,
                        "days_left": (d.due - today).days,
                    }
                )
    return sorted(found, key=lambda d: (d["due"], d["label"]))


# ---------------------------------------------------------------------------------- headline figures
# For the province and the leader: this year's budget, requested, granted and paid (in 万元 on the page).
# The funding app registers `fn(actor) -> list[(label, Decimal yuan)]`.

_HEADLINES: dict[str, tuple[tuple[str, ...], Callable[[Any], list[tuple[str, Any]]]]] = {}


def register_headlines(key: str, roles: Iterable[str], fn: Callable[[Any], list[tuple[str, Any]]]) -> None:
    _HEADLINES[key] = (tuple(roles), fn)


def headlines_for(actor: Any) -> list[dict[str, Any]]:
    if not is_active_actor(actor):
        return []
    return [
        {"label": label, "amount": amount}
        for roles, fn in _HEADLINES.values()
        if actor.role in roles or ALL in roles
        for label, amount in fn(actor)
    ]


# ----------------------------------------------------------------------------------------------- charts
# The place of the province's and the leader's charts: the monitoring app calls
#
#     register_chart(["province", "leader"], "全省技改投资月度走势", "monitoring:chart_investment")
#
# and the workbench shows a labelled, empty panel per chart whose `data-chart-url` (the url name
# resolved) the monitoring app's static script fills. Unresolvable url names are left out.


@dataclass(frozen=True)
class WorkbenchChart:
    roles: tuple[str, ...]
    title: str
    url_name: str


WORKBENCH_CHARTS: list[WorkbenchChart] = []


def register_chart(roles: str | Iterable[str], title: str, url_name: str) -> None:
    chart = WorkbenchChart((roles,) if isinstance(roles, str) else tuple(roles), title, url_name)
    for i, existing in enumerate(WORKBENCH_CHARTS):  # ready() may run twice in tests: replace, not add
        if existing.title == title:
            WORKBENCH_CHARTS[i] = chart
            return
    WORKBENCH_CHARTS.append(chart)


def charts_for(actor: Any) -> list[dict[str, str]]:
    if not is_active_actor(actor):
        return []
    result = []
    for chart in WORKBENCH_CHARTS:
        if actor.role not in chart.roles and ALL not in chart.roles:
            continue
        url = _resolve(chart.url_name)
        if url is not None:
            result.append({"title": chart.title, "url": url})
    return result
