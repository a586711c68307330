"""Which role may do what: ONE table for the whole system.

Services call `require(actor, "payment.confirm")` before changing anything; templates and views may ask
`can(actor, perm)` to show or hide a button. The data *scope* (which rows) is a separate question answered by
`jigai.accounts.scope` — a permission here says only that the role may perform the action at all.

Names are "<area>.<action>". An unknown name is a programming error and raises `UnknownPermission`, so a
typo fails the tests instead of silently denying. Other areas add their permissions to this table (one line
each, with the clause or reason in a comment when there is one).
"""

from __future__ import annotations

from typing import Any

from jigai.core.errors import AccessDenied

from .roles import Role

_E, _CO, _CI, _P = Role.ENTERPRISE, Role.COUNTY, Role.CITY, Role.PROVINCE
_X, _F, _B, _L, _A = Role.EXPERT, Role.FINANCE, Role.BANK, Role.LEADER, Role.ADMIN
_SEC, _AUD = Role.SECADMIN, Role.AUDITADMIN
_GOV = frozenset({_CO, _CI, _P})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # 账号与系统 — 三权分立 (issue 12): the system administrator manages users, roles, regions and
    # dictionaries; the security administrator the security settings, unlocks and second-factor resets; the
    # audit administrator reads the audit trail and the login log. None of them does the business.
    "user.manage": frozenset({_A}),
    "region.manage": frozenset({_A}),
    "dictionary.manage": frozenset({_A}),
    "security.manage": frozenset({_SEC}),
    "account.unlock": frozenset({_SEC}),
    "otp.reset": frozenset({_SEC}),
    "loginlog.view": frozenset({_AUD}),
    "audit.view": frozenset({_AUD}),
    "audit.verify": frozenset({_AUD}),
    # 企业与资质
    "enterprise.edit_own": frozenset({_E}),
    "enterprise.manage": _GOV,
    "enterprise.confirm": frozenset({_CO}),  # 自助注册的企业由所在县级工信部门确认
    "qualification.manage": frozenset({_P}),
    # 资质核验 (issue 7): the province verifies every kind, the county what it can check itself
    # (registry.models.COUNTY_CONFIRMABLE_LEVELS); the province's official lists verify in bulk.
    "qualification.verify": frozenset({_P, _CO}),
    "import.qualification_list": frozenset({_P}),
    # 研发、生产在河南省内: the enterprise declares it, the county of its region (or the province) checks it.
    "enterprise.confirm_in_henan": frozenset({_CO, _P}),
    # 项目库 (design.md flow 1: enterprise enters, county then city check)
    "registry.browse": frozenset({_CO, _CI, _P, _L, _F}),  # the enterprise and project library pages
    "project.submit": frozenset({_E}),
    "project.check_county": frozenset({_CO}),
    "project.check_city": frozenset({_CI}),
    "progress.report": frozenset({_E}),
    "progress.check": frozenset({_CO, _CI}),
    # 申报指南与政策参数 (province publishes the guideline)
    "guideline.manage": frozenset({_P}),
    "guideline.simulate": frozenset({_P}),  # 指南测算 (issue 13): replay a draft before publishing it
    # 免申即享 / 政策匹配 (issue 13): the enterprise sees its matches; the county (and city) who qualify and
    # have not applied; the county confirms a prepared 免申即享 award before it joins the round.
    "match.view_region": frozenset({_CO, _CI, _P}),
    "match.confirm_county": frozenset({_CO}),
    "policy.manage": frozenset({_P}),
    # 申报与评审 (design.md flow 5: county 初审 → city 推荐 → province formal check → experts → decision)
    "application.view": frozenset({_E, _CO, _CI, _P, _L, _X, _F}),  # take part in the round (work queue)
    "application.submit": frozenset({_E}),
    "application.review_county": frozenset({_CO}),
    "application.review_city": frozenset({_CI}),
    "application.review_province": frozenset({_P}),
    "application.decide": frozenset({_P}),
    "expert.manage": frozenset({_P}),
    "expert.assign": frozenset({_P}),
    "expert.score": frozenset({_X}),
    "notice.publish": frozenset({_P}),
    "objection.resolve": frozenset({_P}),
    # 其他省级专项资金支持记录 (三 末段): the province keeps it; county and city read their region's rows.
    "otherfund.manage": frozenset({_P}),
    "otherfund.view": frozenset({_P, _CI, _CO}),
    # 资金拨付 (finance alone releases and records: the province decides the award, it does not pay;
    # entering and confirming are separate steps by two finance users)
    "payment.enter": frozenset({_F}),
    "payment.confirm": frozenset({_F}),
    # 目标与监测
    "target.manage": frozenset({_P}),
    "target.city_breakdown": frozenset({_CI}),
    "indicator.import": frozenset({_P}),
    # 月度数据 (一（二）, 四（三）): counties and cities enter the figures they report; the province
    # publishes a month (freezing the as-reported figures), corrects published figures and reopens a
    # closed window.
    "monitoring.enter": frozenset({_CO, _CI}),
    "monitoring.publish": frozenset({_P}),
    "monitoring.correct": frozenset({_P}),
    "monitoring.reopen": frozenset({_P}),
    "monitoring.window": frozenset({_P}),
    "target.confirm": frozenset({_CI, _CO}),  # a city signs its letter; a county its city's breakdown
    "monitoring.view": frozenset({_CO, _CI, _P, _L, _F}),
    "dashboard.view": frozenset({_CO, _CI, _P, _L, _F}),
    # 融资与用地
    "whitelist.manage": frozenset({_P}),
    # The government reads the whitelist of its region; the bank reads only the published list, through
    # its portal (whitelist.portal), with the fields the enterprise consented to (jigai.financing).
    "whitelist.view": frozenset({_CO, _CI, _P, _L}),
    "whitelist.propose": frozenset({_CI}),  # 四（二）: the city proposes projects of its library
    "whitelist.portal": frozenset({_B}),
    "financing.record": frozenset({_B}),
    "financing.confirm": frozenset({_CI}),  # the project's city confirms what the institution entered
    "consent.manage": frozenset({_E}),  # the enterprise decides what institutions may see
    "event.manage": frozenset({_P, _CI}),
    "event.join": frozenset({_B, _E}),
    "land.manage": frozenset({_CO, _CI, _P}),
    # 用地保障 (四（二）, jigai.land): the county enters zero-new-land cases, the city checks them (先建后验);
    # each city keeps its fee rates (the province may correct them); the enterprise reads its own cases.
    "land.view": frozenset({_E, _CO, _CI, _P, _L}),
    "land.rates": frozenset({_CI, _P}),
    "land.check": frozenset({_CI}),
    # Excel 批量导入 (registry/excel): who may enter the rows one by one, plus the county/city/province
    # departments that collect their region's project lists and monthly statistics in spreadsheets.
    "import.enterprise": _GOV,
    "import.qualification": _GOV | {_E},
    "import.project": _GOV | {_E},
    "import.progress": _GOV | {_E},
    # 督办 (四（三）: 跟踪督导; 万人助万企 服务企业问题; 二（三） 绿色发展排行榜; 典型做法), jigai.supervision
    "supervision.view": _GOV | {_L},
    "supervision.open": frozenset({_P}),
    "supervision.reply": frozenset({_CO, _CI}),
    "supervision.close": frozenset({_P}),
    "visit.record": frozenset({_CO, _CI}),
    "visit.rate": frozenset({_E}),  # the enterprise rates the resolution of its own problem (1-5)
    "ranking.manage": frozenset({_P}),
    "practice.submit": frozenset({_CI}),
    "practice.publish": frozenset({_P}),
}


class UnknownPermission(LookupError):
    pass


def roles_with(permission: str) -> frozenset[Role]:
    try:
        return PERMISSIONS[permission]
    except KeyError:
        raise UnknownPermission(f"未定义的权限：{permission}") from None


def can(actor: Any, permission: str) -> bool:
    """True when the actor is signed in, active and their role holds the permission."""
    roles = roles_with(permission)  # check the name first, whoever asks
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return actor.role in roles


def require(actor: Any, permission: str) -> None:
    """Raise AccessDenied (a Django PermissionDenied) unless `can(actor, permission)`."""
    if not can(actor, permission):
        raise AccessDenied("您的角色无权执行此操作。", code="permission_denied")
