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
    ADMIN = "admin", "管理员"


# Roles whose data scope is the whole province (design.md: province officer, leader, finance, administrator).
PROVINCE_LEVEL_ROLES = frozenset({Role.PROVINCE, Role.LEADER, Role.ADMIN, Role.FINANCE})
# Roles whose data scope is their own region and everything below it.
REGIONAL_ROLES = frozenset({Role.COUNTY, Role.CITY})
# Roles that only read (领导: dashboards, read-only).
READ_ONLY_ROLES = frozenset({Role.LEADER})
