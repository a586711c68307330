"""The enterprise (企业), identified by its unified social credit code, with its 省内研发制造 declaration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet

from ..uscc import validate_uscc
from ._scope import _enterprise_scope
from .choices import EnterpriseSize, EnterpriseStatus


class Enterprise(models.Model):
    """An enterprise (企业), identified by its unified social credit code (统一社会信用代码)."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField("企业名称", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="enterprises"
    )
    # GB/T 4754-2017: section letter (门类) and 2-digit division (大类), see data/gbt4754.json.
    industry_section = models.CharField("行业门类", max_length=1, blank=True)
    industry_division = models.CharField("行业大类", max_length=2, blank=True)
    size = models.CharField("企业规模", max_length=10, choices=EnterpriseSize.choices, blank=True)
    above_designated_size = models.BooleanField("规模以上工业企业", default=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.PENDING,
        db_index=True,
    )
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    # 省内研发制造 (三（二）1 “省内研发制造单位”, 2 “省内研发企业”; the calculator's applicant.in_henan):
    # declared by the enterprise, checked by the county of its region. A change of the declaration (or of
    # the region) drops the check.
    in_henan_declared = models.BooleanField("研发、生产在河南省内", default=False)
    in_henan_confirmed = models.BooleanField("县级核实结果", null=True, blank=True)  # None: 待核实
    in_henan_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_henan_confirmed_at = models.DateTimeField("核实时间", null=True, blank=True)
    in_henan_comment = models.TextField("核实意见", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="enterprise_name_idx")]  # the list's order

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "")

    @property
    def registered_in_henan(self) -> bool:
        """Registered in a Henan region: every Henan region code (GB/T 2260) starts with 41."""
        return str(self.region_id or "").startswith("41")

    @property
    def in_henan(self) -> bool:
        """The calculator's applicant.in_henan: registered in Henan, declared, and confirmed by the county."""
        return self.registered_in_henan and self.in_henan_declared and self.in_henan_confirmed is True

    @property
    def in_henan_state(self) -> str:
        """The declaration and its check in words, for the pages."""
        if not self.in_henan_declared:
            return "企业未声明"
        if self.in_henan_confirmed is None:
            return "企业已声明，待县级核实"
        return "县级已核实属实" if self.in_henan_confirmed else "县级核实不属实"
