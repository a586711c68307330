from django.contrib.auth.models import AbstractUser
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


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.ENTERPRISE)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
