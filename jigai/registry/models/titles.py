"""Demonstration titles of policy 三（四） awarded to an enterprise."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from jigai.accounts.scope import ScopedQuerySet
from jigai.core.uploads import ServerNamedUpload

from ..uploads import validate_certificate_file
from ._scope import _enterprise_scope
from .choices import AwardedBy, TitleKind
from .enterprises import Enterprise


class Title(models.Model):
    """A demonstration title of policy 三（四） awarded to an enterprise (or its project, platform, park)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="titles"
    )
    kind = models.CharField("称号类型", max_length=40, choices=TitleKind.choices)
    name = models.CharField("称号/项目名称", max_length=200, blank=True)
    awarded_by = models.CharField("认定部门", max_length=20, choices=AwardedBy.choices)
    awarded_on = models.DateField("认定日期")
    document_no = models.CharField("认定文号", max_length=100, blank=True)
    certificate = models.FileField(
        "证书文件",
        upload_to=ServerNamedUpload("registry/titles/%Y/"),
        blank=True,
        validators=[validate_certificate_file],
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "试点示范称号"
        verbose_name_plural = "试点示范称号"
        ordering = ["enterprise", "-awarded_on"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")
