"""The roles of the system (design.md “Who uses it”). Kept apart from models.py so the scope gate and the
permission table can import it without importing any model."""

from django.db import models


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", "企业用户"
    COUNTY = "county", "县级工信部门"
    CITY = "city", "市级工信部门"
    PROVINCE = "province", "省工信厅"
    EXPERT = "expert", "专家"
    FINANCE = "finance", "财政厅"
    BANK = "bank", "金融机构"
    LEADER = "leader", "领导"
    # 三权分立 (等保三级 安全管理中心): three administrators whose duties no one account may combine — a
    # role is one field, so an account holds one of them at most. "admin" keeps its value (existing data).
    ADMIN = "admin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITADMIN = "auditadmin", "审计管理员"


# Roles whose data scope is the whole province (design.md: province officer, leader, finance). The
# administrators are not among them (三权分立, issue 12): they run the system, they do not read its business.
PROVINCE_LEVEL_ROLES = frozenset({Role.PROVINCE, Role.LEADER, Role.FINANCE})
# Roles whose data scope is their own region and everything below it.
REGIONAL_ROLES = frozenset({Role.COUNTY, Role.CITY})
# Roles that only read (领导: dashboards, read-only).
READ_ONLY_ROLES = frozenset({Role.LEADER})
# The three administrators (三权分立): created only by `jigai createadmin`, never through the user pages.
ADMIN_ROLES = frozenset({Role.ADMIN, Role.SECADMIN, Role.AUDITADMIN})
# Accounts that sign in with a password AND a TOTP code (issue 12: province, finance, administrators).
SECOND_FACTOR_ROLES = frozenset({Role.PROVINCE, Role.FINANCE, *ADMIN_ROLES})
