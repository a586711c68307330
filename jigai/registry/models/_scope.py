"""The scope helpers the registry models share: which rows an actor reaches through their enterprise, and
the enterprise (and region) a child row is filed under in the audit trail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import enterprise_q, region_q

if TYPE_CHECKING:
    from .enterprises import Enterprise


def _enterprise_scope(actor: Any, action: str, via: str) -> Q:
    """Rows reached through the enterprise at `via` ("" = the Enterprise itself): the enterprise user's own,
    or, for reviewers, those whose enterprise lies in their region. One branch per role rather than
    `enterprise_q | region_q`: Q() (everything) | Q(pk__in=[]) collapses to the empty one in Django."""
    if getattr(actor, "role", None) == Role.ENTERPRISE:
        return enterprise_q(actor, via or "pk")
    return region_q(actor, f"{via}__region" if via else "region", action)


class _BelongsToEnterprise:
    """For a child row: the enterprise it belongs to, following `enterprise_via` (attribute names), so the
    audit trail files its events under that enterprise and region."""

    enterprise_via: tuple[str, ...] = ()

    def owning_enterprise(self) -> Enterprise:
        obj: Any = self
        for name in self.enterprise_via:
            obj = getattr(obj, name)
        return obj.enterprise

    @property
    def audit_enterprise_id(self) -> int:
        return self.owning_enterprise().pk

    @property
    def audit_region(self) -> Any:
        return self.owning_enterprise().region
