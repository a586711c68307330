"""Enterprise qualifications (头雁, 小巨人, 专精特新 …) with their check, and who may vouch for which kind."""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import ScopedQuerySet
from jigai.core.uploads import ServerNamedUpload

from ..uploads import validate_certificate_file
from ._scope import _enterprise_scope
from .choices import CALCULATOR_QUALIFICATIONS, Level, QualificationKind, QualificationStatus
from .enterprises import Enterprise

# Who vouches for which qualification, as data: kind → the levels (Level) of it the COUNTY may confirm.
# The province keeps (or receives from the ministry) every official list and verifies every kind at every
# level. The county can check only a list it can see locally: a city's own list (级别“市级”) of a kind
# that is not one of the calculator's. 头雁企业, 国家级“小巨人” and 省级专精特新 are provincial/national
# lists that decide money (三（一）2、3 and the 头雁 exception of 三 末段), so they are the province's alone,
# whatever level is typed.
COUNTY_CONFIRMABLE_LEVELS: dict[str, frozenset[str]] = {
    kind: frozenset({Level.MUNICIPAL})
    for kind in QualificationKind.values
    if kind not in CALCULATOR_QUALIFICATIONS
}

# The level a qualification of each kind has on the official list (for rows created by a list import).
KIND_LEVELS: dict[str, str] = {
    QualificationKind.LEADING_GOOSE: Level.PROVINCIAL,
    QualificationKind.NATIONAL_LITTLE_GIANT: Level.NATIONAL,
    QualificationKind.PROVINCIAL_SPECIALIZED: Level.PROVINCIAL,
    QualificationKind.SINGLE_CHAMPION: Level.NATIONAL,
}


def may_verify(role: Any, kind: str, level: str) -> bool:
    """Whether an officer of `role` may vouch for a qualification of `kind` at `level` (see the table)."""
    if role == Role.PROVINCE:
        return True
    if role == Role.COUNTY:
        return level in COUNTY_CONFIRMABLE_LEVELS.get(kind, frozenset())
    return False


def verifiable_q(role: Any) -> Q:
    """The qualifications an officer of `role` may vouch for, as a filter (one OR per table row)."""
    if role == Role.PROVINCE:
        return Q()
    if role == Role.COUNTY:
        parts = [Q(kind=k, level__in=sorted(lv)) for k, lv in COUNTY_CONFIRMABLE_LEVELS.items() if lv]
        if parts:
            return reduce(operator.or_, parts)
    return Q(pk__in=[])


class QualificationQuerySet(ScopedQuerySet):
    def verified_on(self, as_of: dt.date) -> QualificationQuerySet:
        """Verified and in force on `as_of` (valid_from ≤ as_of ≤ valid_to): what counts for money."""
        return self.filter(status=QualificationStatus.VERIFIED, valid_from__lte=as_of, valid_to__gte=as_of)


class Qualification(models.Model):
    """A qualification of an enterprise with its validity (头雁, 小巨人, 专精特新, 单项冠军, 绿色工厂 …).

    Entered by the enterprise (or a reviewer, or imported) it is a claim, `submitted` (待核验). An officer
    vouches for it against the certificate or the official list: `verified` (已核验), or `rejected`
    (已驳回) with the reason. Who may vouch for which kind is the table COUNTY_CONFIRMABLE_LEVELS above:
    the province for every kind, the county only for a city's own (市级) list of a non-calculator kind —
    none of the calculator's three (头雁, 国家级“小巨人”, 省级专精特新 are provincial/national lists). An
    edit of what was vouched for (kind, level, certificate, dates) sends it back to `submitted`. Only
    verified qualifications in force on the application date reach the calculator (facts.applicant).
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField("资质类型", max_length=40, choices=QualificationKind.choices)
    level = models.CharField("级别", max_length=12, choices=Level.choices, blank=True)
    certificate_no = models.CharField("证书/文号", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    certificate = models.FileField(
        "证书文件",
        upload_to=ServerNamedUpload("registry/qualifications/%Y/"),
        blank=True,
        validators=[validate_certificate_file],
    )
    status = models.CharField(
        "核验状态",
        max_length=12,
        choices=QualificationStatus.choices,
        default=QualificationStatus.SUBMITTED,
        db_index=True,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    review_comment = models.TextField("核验意见/驳回原因", blank=True)
    list_document_no = models.CharField("名单文号", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = "企业资质"
        verbose_name_plural = "企业资质"
        ordering = ["enterprise", "kind", "-valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="qual_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.valid_from}～{self.valid_to}）"

    @property
    def review_label(self) -> str:
        return "驳回原因" if self.status == QualificationStatus.REJECTED else "核验意见"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")
