"""Test data of the financing area: two cities (郑州, 洛阳), their reviewers, institutions with users."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jigai.accounts.tests.factories import make_user
from jigai.funding.tests import factories as ff
from jigai.registry.models import LibraryStatus

from .. import services
from ..models import FinancialInstitution, InstitutionMember


class Cast:
    """郑州 (410100, county 中原区 410102) and 洛阳 (410300, county 涧西区 410305): an enterprise with an
    in-library project in each, their city and county reviewers, the province, two banks with a user each."""

    def __init__(self) -> None:
        self.province = make_user("province")
        self.leader = make_user("leader")
        self.city = make_user("city", "410100")
        self.county = make_user("county", "410102")
        self.other_city = make_user("city", "410300")
        self.other_county = make_user("county", "410305")
        self.ent_user = ff.enterprise_user("410102")
        self.other_ent_user = ff.enterprise_user("410305")
        self.project = ff.project(self.ent_user.enterprise, library_status=LibraryStatus.IN_LIBRARY)
        self.other_project = ff.project(
            self.other_ent_user.enterprise, library_status=LibraryStatus.IN_LIBRARY
        )
        self.bank_inst = FinancialInstitution.objects.create(name="测试银行", kind="bank")
        self.other_inst = FinancialInstitution.objects.create(name="测试担保公司", kind="guarantee")
        self.bank = make_user("bank")
        self.other_bank = make_user("bank")
        InstitutionMember.objects.create(institution=self.bank_inst, user=self.bank)
        InstitutionMember.objects.create(institution=self.other_inst, user=self.other_bank)


def propose(cast: Cast, *, other: bool = False, **kw: Any):
    kw.setdefault("amount", Decimal("5000000"))
    kw.setdefault("term_months", 24)
    kw.setdefault("kind", "loan")
    actor, project = (cast.other_city, cast.other_project) if other else (cast.city, cast.project)
    return services.whitelist_propose(actor=actor, project=project, **kw)


def published(cast: Cast, *, other: bool = False, on: dt.date | None = None):
    entry = propose(cast, other=other)
    services.whitelist_move(actor=cast.province, entry=entry, action="approve")
    services.whitelist_publish(
        actor=cast.province, published_on=on or timezone.localdate(), entries=[entry.pk]
    )
    entry.refresh_from_db()
    return entry
