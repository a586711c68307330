"""The registry (企业与项目库) models, a package by domain; import them from here (`jigai.registry.models`):
enterprises and their qualifications, the project library with monthly progress, products, platforms and
titles — the objects a funding application points at (policy 三).

- choices.py — the choices, constants and money field settings all of them share
- enterprises.py — the enterprise;  qualifications.py — its qualifications and who may vouch for which;
  projects.py — projects, their library workflow events, monthly progress;  products.py — 首台（套）/首版次
  products, recognitions, insurance, invoices;  platforms.py — platforms and their assessments;
  titles.py — demonstration titles;  _scope.py — the scope helpers they share

Every model a user can reach uses the scope gate (`objects = ScopedQuerySet.as_manager()` + `scope_q`):
an enterprise user sees their own enterprise's rows, a county/city reviewer the rows of enterprises in their
region and below, province-level roles everything, experts and banks nothing here. The modules import
jigai.accounts and the registry's own validators, nothing above the registry.
"""

from __future__ import annotations

from ._scope import (
    _BelongsToEnterprise,
    _enterprise_scope,
)
from .choices import (
    CALCULATOR_QUALIFICATIONS,
    MONEY,
    TITLES_341,
    TITLES_342,
    AssessmentRank,
    AwardedBy,
    ConstructionStatus,
    EnterpriseSize,
    EnterpriseStatus,
    InternetPlatformStatus,
    Level,
    LibraryStatus,
    PlatformKind,
    PlatformLevel,
    ProductKind,
    ProjectCategory,
    QualificationKind,
    QualificationStatus,
    RecognitionLevel,
    TitleKind,
)
from .enterprises import (
    Enterprise,
)
from .platforms import (
    Platform,
    PlatformAssessment,
)
from .products import (
    InsurancePeriod,
    InsurancePolicy,
    Product,
    ProductRecognition,
    SalesInvoice,
)
from .projects import (
    ProgressReport,
    Project,
    ProjectEvent,
)
from .qualifications import (
    COUNTY_CONFIRMABLE_LEVELS,
    KIND_LEVELS,
    Qualification,
    QualificationQuerySet,
    may_verify,
    verifiable_q,
)
from .titles import (
    Title,
)

__all__ = [
    "CALCULATOR_QUALIFICATIONS",
    "COUNTY_CONFIRMABLE_LEVELS",
    "KIND_LEVELS",
    "MONEY",
    "TITLES_341",
    "TITLES_342",
    "AssessmentRank",
    "AwardedBy",
    "ConstructionStatus",
    "Enterprise",
    "EnterpriseSize",
    "EnterpriseStatus",
    "InsurancePeriod",
    "InsurancePolicy",
    "InternetPlatformStatus",
    "Level",
    "LibraryStatus",
    "Platform",
    "PlatformAssessment",
    "PlatformKind",
    "PlatformLevel",
    "Product",
    "ProductKind",
    "ProductRecognition",
    "ProgressReport",
    "Project",
    "ProjectCategory",
    "ProjectEvent",
    "Qualification",
    "QualificationKind",
    "QualificationQuerySet",
    "QualificationStatus",
    "RecognitionLevel",
    "SalesInvoice",
    "Title",
    "TitleKind",
    "_BelongsToEnterprise",
    "_enterprise_scope",
    "may_verify",
    "verifiable_q",
]
