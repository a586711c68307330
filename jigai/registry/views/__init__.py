"""Pages of the registry, a package by domain. Thin: read through the selectors and screens (scoped:
out-of-scope ids answer 404), change through the services, and put a DomainError back on the form field it
names (jigai.core.errors.run_for_page)."""

from __future__ import annotations

from ._common import form_data
from .enterprises import (
    enterprise_confirm,
    enterprise_detail,
    enterprise_edit,
    enterprise_list,
    enterprise_queue,
    enterprise_reject,
    qualification_create,
    qualification_edit,
)
from .platforms import (
    assessment_create,
    platform_create,
    platform_detail,
    platform_edit,
    platform_list,
    title_create,
    title_detail,
    title_edit,
    title_list,
)
from .portal import (
    portal,
    register,
)
from .products import (
    _DELETABLE,
    child_delete,
    invoice_create,
    period_create,
    policy_create,
    product_create,
    product_detail,
    product_edit,
    product_list,
    recognition_create,
)
from .projects import (
    progress_create,
    progress_edit,
    project_construction,
    project_create,
    project_detail,
    project_edit,
    project_list,
    project_missing,
    project_queue,
    project_transition,
)

__all__ = [
    "_DELETABLE",
    "assessment_create",
    "child_delete",
    "enterprise_confirm",
    "enterprise_detail",
    "enterprise_edit",
    "enterprise_list",
    "enterprise_queue",
    "enterprise_reject",
    "form_data",
    "invoice_create",
    "period_create",
    "platform_create",
    "platform_detail",
    "platform_edit",
    "platform_list",
    "policy_create",
    "portal",
    "product_create",
    "product_detail",
    "product_edit",
    "product_list",
    "progress_create",
    "progress_edit",
    "project_construction",
    "project_create",
    "project_detail",
    "project_edit",
    "project_list",
    "project_missing",
    "project_queue",
    "project_transition",
    "qualification_create",
    "qualification_edit",
    "recognition_create",
    "register",
    "title_create",
    "title_detail",
    "title_edit",
    "title_list",
]
