"""Test data for accounts, importable by every app's tests:

    from jigai.accounts.tests.factories import UserFactory, make_user, ensure_region, PASSWORD
    county = make_user("county", "410102")          # 中原区 reviewer
    city = make_user("city", "410100")              # 郑州 reviewer
    ent_user = make_user("enterprise")              # with a fresh enterprise in 410102
    client.force_login(county)                      # or client.login(username=u.username, password=PASSWORD)

Regions come from the regions app's data migration when it is there; `ensure_region` creates the few rows
a test needs (with their parents and paths) when it is not.
"""

from __future__ import annotations

import itertools
from typing import Any

import factory
from django.utils import timezone

from jigai.accounts.models import User
from jigai.accounts.roles import Role

# A password the policy accepts (≥12 characters, four kinds) — every factory user has it.
PASSWORD = "Jigai-Test-2024!"

PROVINCE = "410000"
_NAMES = {
    "410000": "河南省",
    "410100": "郑州市",
    "410102": "中原区",
    "410103": "二七区",
    "410105": "金水区",
    "410300": "洛阳市",
    "410302": "老城区",
    "410305": "涧西区",
    "410700": "新乡市",
    "410702": "红旗区",
    "419001": "济源市",
}
# Default region of each role when the test does not say.
_DEFAULT_REGION = {
    Role.COUNTY: "410102",
    Role.CITY: "410100",
    Role.PROVINCE: PROVINCE,
}
_uscc_seq = itertools.count(1)


def ensure_region(code: str):
    """The Region with this GB/T 2260 code, creating it and its parents if the tree is not loaded."""
    from jigai.regions.models import Region

    found = Region.objects.filter(pk=code).first()
    if found is not None:
        return found
    if code == PROVINCE:
        parent, level = None, "province"
    elif code == "419001" or code.endswith("00"):
        parent, level = ensure_region(PROVINCE), "city"
    else:
        parent, level = ensure_region(code[:4] + "00"), "county"
    path = f"{parent.path}/{code}" if parent else code
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": _NAMES.get(code, f"区划{code}"), "level": level, "parent": parent, "path": path},
    )
    return region


def make_enterprise(region_code: str = "410102", **fields: Any):
    """An enterprise in the region. Uses the registry's factory when that exists (it knows the required
    fields), else the minimal model fields."""
    region = ensure_region(region_code)
    try:
        from jigai.registry.tests.factories import EnterpriseFactory  # type: ignore[import-not-found]
    except ImportError:
        EnterpriseFactory = None
    if EnterpriseFactory is not None:
        return EnterpriseFactory(region=region, **fields)
    from jigai.registry.models import Enterprise

    n = next(_uscc_seq)
    fields.setdefault("uscc", f"91410100MA{n:07d}X"[:18])
    fields.setdefault("name", f"测试企业{n}有限公司")
    return Enterprise.objects.create(region=region, **fields)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.PROVINCE
    is_active = True
    password = factory.django.Password(PASSWORD)
    password_changed_at = factory.LazyFunction(timezone.now)
    must_change_password = False


def make_user(
    role: str | Role,
    region_code: str | None = None,
    enterprise: Any = None,
    **fields: Any,
) -> User:
    """A valid user of `role`: county/city users get a region of their level (default 中原区 / 郑州市),
    enterprise users an enterprise (a new one in 中原区 unless given), province-level roles the province."""
    role = Role(role)
    if region_code is None:
        region_code = _DEFAULT_REGION.get(role)
    if role == Role.ENTERPRISE and enterprise is None:
        enterprise = make_enterprise(region_code or "410102")
        region_code = None
    region = ensure_region(region_code) if region_code else None
    return UserFactory(role=role, region=region, enterprise=enterprise, **fields)
