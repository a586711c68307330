"""Demo data (`jigai demo`): a reproducible province that looks like Henan.

Every city and county-level unit gets enterprises (weighted by the size of the city's industry), with
realistic names by industry, valid credit codes whose positions 3–8 are the enterprise's region, GB/T 4754
manufacturing divisions and sizes; qualifications in the province's proportions (design.md: 414 national
little giants and 4,098 provincial specialised SMEs among ~25,800 enterprises above designated size, i.e.
1.6% and 16%); projects of the four categories with monthly progress; first-set / first-version products
with recognitions, insurance and invoices; platforms; titles; and one demo user per role.

Builders run in order over a shared DemoContext; other areas append theirs to DEMO_BUILDERS from their own
`<app>/demo.py` (the command imports every app's `demo` module first), e.g. a guideline and applications.
Everything is written in bulk (multi-row INSERTs, registry.excel.bulk) in chunks of enterprises, so 2,000
enterprises take seconds and 100,000 stay in bounded memory.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction
from django.db.models.functions import Substr
from django.utils import timezone

from jigai.accounts.models import User
from jigai.accounts.otp import DEMO_TOTP_SECRET, enrol_demo
from jigai.accounts.roles import SECOND_FACTOR_ROLES, Role
from jigai.regions.models import Region

from ..models import Enterprise, Platform, Product, ProgressReport, Project, Qualification, Title
from .common import DEFAULT_ENTERPRISES, DEFAULT_SEED, DEMO_PASSWORD, MARK, Builder, DemoContext
from .registry import build_enterprises
from .vouching import build_vouching

__all__ = [
    "DEFAULT_ENTERPRISES",
    "DEFAULT_SEED",
    "DEMO_BUILDERS",
    "DEMO_PASSWORD",
    "DEMO_REPORTS",
    "DEMO_RESETTERS",
    "DEMO_USERS",
    "DemoContext",
    "build_demo",
    "demo_enterprises",
    "demo_exists",
    "reset_demo",
    "users_table",
]

# username, role, full name, region, what they are for
DEMO_USERS: list[tuple[str, Role, str, str | None, str]] = [
    ("qiye", Role.ENTERPRISE, "王志远", None, "洛阳华创重型机械股份有限公司（洛阳市涧西区）"),
    ("xianji", Role.COUNTY, "李红梅", "410305", "洛阳市涧西区工信局"),
    ("shiji", Role.CITY, "张建国", "410300", "洛阳市工信局"),
    ("shengting", Role.PROVINCE, "刘晓东", "410000", "省工业和信息化厅"),
    ("zhuanjia", Role.EXPERT, "陈立新", None, "评审专家"),
    ("zhuanjia2", Role.EXPERT, "何敏", None, "评审专家（每件申报由两位专家评分）"),
    ("caizheng", Role.FINANCE, "赵静", "410000", "省财政厅（经办）"),
    ("caizheng2", Role.FINANCE, "孙伟", "410000", "省财政厅（复核）"),
    ("yinhang", Role.BANK, "周敏", None, "金融机构（银行）"),
    ("yinhang2", Role.BANK, "郑凯", None, "金融机构（担保公司，第二家机构）"),
    ("lingdao", Role.LEADER, "吴国强", "410000", "领导（只读）"),
    ("admin", Role.ADMIN, "系统管理员", "410000", "系统管理员（用户、角色、区划、字典）"),
    ("anquan", Role.SECADMIN, "安全管理员", "410000", "安全管理员（安全策略、解除锁定、重置身份验证器）"),
    ("shenji", Role.AUDITADMIN, "审计管理员", "410000", "审计管理员（只读审计日志与登录日志）"),
]


def demo_enterprises() -> models.QuerySet[Enterprise]:
    """The demo enterprises: their credit codes carry MARK at positions 9–10."""
    return Enterprise.objects.annotate(_mark=Substr("uscc", 9, 2)).filter(_mark=MARK)


def demo_exists() -> bool:
    return (
        demo_enterprises().exists() or User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).exists()
    )


def build_users(ctx: DemoContext) -> None:
    """One user per role (two finance officers: maker and checker), with the fixed demo password."""
    now = timezone.now()
    # One hash for the one shared demo password: the hasher is slow on purpose (~0.7 s each).
    hashed = make_password(DEMO_PASSWORD)
    for username, role, full_name, region, _about in DEMO_USERS:
        user = User(
            username=username,
            full_name=full_name,
            email=f"{username}@demo.jigai.local",
            role=role,
            region=ctx.regions.get(region) if region else None,
            enterprise=ctx.featured if role == Role.ENTERPRISE else None,
            is_active=True,
            password_changed_at=now,
            must_change_password=False,
        )
        validate_password(DEMO_PASSWORD, user)
        user.password = hashed
        user.full_clean()
        user.save()
        if role in SECOND_FACTOR_ROLES:
            enrol_demo(user)  # the public demo secret: a newcomer signs in without enrolling a phone first
        ctx.users[username] = user
    ctx.add("用户", len(DEMO_USERS))


# Run in order by build_demo(); other areas append theirs from their own `<app>/demo.py`, e.g.
#     from jigai.registry.demo import DEMO_BUILDERS, DEMO_RESETTERS
#     DEMO_BUILDERS.append(build_guideline)      # build_guideline(ctx: DemoContext) -> None
#     DEMO_RESETTERS.append(delete_applications)  # before the registry's demo rows are deleted
DEMO_BUILDERS: list[Builder] = [build_enterprises, build_users, build_vouching]
DEMO_RESETTERS: list[Callable[[], None]] = []
# Markdown tables `jigai demo` prints after the accounts (e.g. the demo applications and their states).
DEMO_REPORTS: list[Callable[[], str]] = []

# ---------------------------------------------------------------------------------------------- entry points


def users_table() -> str:
    """The demo accounts as a Markdown table (printed by `jigai demo`, copied into the README)."""
    lines = ["| 用户名 | 角色 | 密码 | 动态口令 | 说明 |", "|---|---|---|---|---|"]
    for username, role, _name, _region, about in DEMO_USERS:
        code = f"`jigai otp-code {username}`" if role in SECOND_FACTOR_ROLES else "—"
        lines.append(f"| {username} | {Role(role).label} | {DEMO_PASSWORD} | {code} | {about} |")
    lines.append("")
    lines.append(
        f"动态口令（省工信厅、财政厅、管理员账号）：演示账号已绑定同一个公开的演示密钥 `{DEMO_TOTP_SECRET}`"
        "（TOTP，6 位，30 秒），可添加到手机身份验证器，或运行 `jigai otp-code 用户名` 显示当前口令。"
    )
    return "\n".join(lines)


@transaction.atomic
def build_demo(*, enterprises: int = DEFAULT_ENTERPRISES, seed: int = DEFAULT_SEED, log=None) -> DemoContext:
    """Build the demo data (all or nothing). The caller checks demo_exists() first."""
    from jigai.audit.services import audit_record

    regions = {r.code: r for r in Region.objects.all()}
    if not regions:
        raise RuntimeError("区划表为空：请先运行 jigai migrate（区划数据随迁移载入）。")
    ctx = DemoContext(
        rng=random.Random(seed),
        n_enterprises=max(1, enterprises),
        today=timezone.localdate(),
        regions=regions,
        log=log or (lambda _msg: None),
    )
    for build in list(DEMO_BUILDERS):
        build(ctx)
    audit_record(
        actor=None, action="demo.build", after={"seed": seed, "counts": ctx.counts}, comment="生成演示数据"
    )
    return ctx


@transaction.atomic
def reset_demo() -> None:
    """Delete the demo rows: other areas' first (DEMO_RESETTERS), then users and every registry row of the
    demo enterprises (found by the MARK in their credit codes; real enterprises are never touched)."""
    for reset in list(DEMO_RESETTERS):
        reset()
    ents = demo_enterprises()
    User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).delete()
    User.objects.filter(enterprise__in=ents).delete()
    for model, field_name in (
        (ProgressReport, "project__enterprise__in"),
        (Project, "enterprise__in"),
        (Product, "enterprise__in"),
        (Platform, "enterprise__in"),
        (Title, "enterprise__in"),
        (Qualification, "enterprise__in"),
    ):
        model.objects.filter(**{field_name: ents}).delete()
    Enterprise.objects.filter(pk__in=ents.values("pk")).delete()
