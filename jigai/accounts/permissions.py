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
_GOV = frozenset({_CO, _CI, _P})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # 账号与系统 — administrators manage users, regions and dictionaries; they do not do the business.
    "user.manage": frozenset({_A}),
    "loginlog.view": frozenset({_A}),
    "region.manage": frozenset({_A}),
    "dictionary.manage": frozenset({_A}),
    "audit.view": frozenset({_A, _P}),
    "audit.verify": frozenset({_A}),
    # 企业与资质
    "enterprise.edit_own": frozenset({_E}),
    "enterprise.manage": _GOV | {_A},
    "enterprise.confirm": frozenset({_CO}),  # 自助注册的企业由所在县级工信部门确认
    "qualification.manage": frozenset({_P}),
    # 资质核验 (issue 7): the province verifies every kind, the county what it can check itself
    # (registry.models.COUNTY_CONFIRMABLE_LEVELS); the province's official lists verify in bulk.
    "qualification.verify": frozenset({_P, _CO}),
    "import.qualification_list": frozenset({_P}),
    # 研发、生产在河南省内: the enterprise declares it, the county of its region (or the province) checks it.
    "enterprise.confirm_in_henan": frozenset({_CO, _P}),
    # 项目库 (design.md flow 1: enterprise enters, county then city check)
    "registry.browse": frozenset({_CO, _CI, _P, _L, _A, _F}),  # the enterprise and project library pages
    "project.submit": frozenset({_E}),
    "project.check_county": frozenset({_CO}),
    "project.check_city": frozenset({_CI}),
    "progress.report": frozenset({_E}),
    "progress.check": frozenset({_CO, _CI}),
    # 申报指南与政策参数 (province publishes the guideline)
    "guideline.manage": frozenset({_P}),
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
    "dashboard.view": frozenset({_CO, _CI, _P, _L, _F}),
    # 融资与用地
    "whitelist.manage": frozenset({_P}),
    "whitelist.view": frozenset({_P, _B, _L}),
    "financing.record": frozenset({_B}),
    "event.manage": frozenset({_P}),
    "event.join": frozenset({_B, _E}),
    "land.manage": frozenset({_CO, _CI, _P}),
    # Excel 批量导入 (registry/excel): who may enter the rows one by one, plus the county/city/province
    # departments that collect their region's project lists and monthly statistics in spreadsheets.
    "import.enterprise": _GOV | {_A},
    "import.qualification": _GOV | {_E, _A},
    "import.project": _GOV | {_E},
    "import.progress": _GOV | {_E},
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
