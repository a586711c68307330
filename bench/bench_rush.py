"""The deadline rush under load (issue 12, "Under load"): 100 enterprises reading and saving drafts at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_rush.py \
        [--rebuild] [--users 100] [--seconds 60] [--trivial-seconds 20] [--workers 5] [--threads 1]

PostgreSQL only, in a database of its own (`jigai_rush` on the server of DATABASE_URL, never the one
DATABASE_URL names): built on the first run (or with --rebuild) — migrations, the demo (`jigai demo`), then
`--users` enterprise accounts (rush001…, password Jigai@2026demo), each of a different demo enterprise with an
eligible 3.1.1 project and a draft created by the real service. Every run first puts the rush accounts back
to one draft each (the third that submitted in the last run get a new draft), so runs compare.

The server is the production one: gunicorn with config.settings.prod (a generated secret and audit key, no
SSL redirect: the requests say X-Forwarded-Proto: https as a TLS proxy would). Each virtual user signs in
through the login page (its own session, its own cookies — kept by hand, as the cookies are Secure) and then,
for `--seconds`, loops: read its application (detail page), open the edit page, save the draft (POST, 302);
a third of the users submit once after their second save and then only read. Beside it, in the same run and
at the same concurrency, the login page (GET) is requested for `--trivial-seconds`: the trivial baseline.
Printed: requests per second, p50/p95/p99, errors (any status other than the expected one, or a transport
error), the ratio rush rps / trivial rps, and the load average.

`--profile`: instead of the load, one enterprise's save (POST edit) run 50 times through the test client
under cProfile in this process, the top functions by cumulative time printed (the server's cost per save).

Use `--db` for a database of your own when others run the bench on the same server. The machine's load is
printed at the start and the end: on a shared machine compare runs made in the same way, one after the other.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Jigai@2026demo"
PREFIX = "rush"


def _die(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


def _urls(db: str) -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        _die("bench_rush.py 只在 PostgreSQL 上运行：请设置 DATABASE_URL=postgres://用户@主机:端口/库名")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    bench = urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))
    return admin.replace("postgres://", "postgresql://", 1), bench


def _prepare_database(admin_url: str, db: str, rebuild: bool) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone() is not None
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{db}" WITH (FORCE)')
            exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{db}"')
    return not exists


# ------------------------------------------------------------------------------------------------ the data


def _build(users: int) -> None:
    from django.core.management import call_command

    from jigai.registry.models import Enterprise

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Enterprise.objects.exists():
        call_command("demo", verbosity=0)
    print(f"  迁移与演示数据 {time.perf_counter() - t:.0f} 秒", flush=True)
    _ensure_rush_accounts(users)


def _ensure_rush_accounts(users: int) -> None:
    """`users` rush accounts, each of its own enterprise with an eligible 3.1.1 project."""
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db.models import F
    from django.utils import timezone

    from jigai.accounts.models import Role, User
    from jigai.funding.models import Application
    from jigai.registry.models import Project

    have = User.objects.filter(username__startswith=PREFIX, role=Role.ENTERPRISE).count()
    if have >= users:
        return
    taken = set(User.objects.filter(role=Role.ENTERPRISE).values_list("enterprise_id", flat=True))
    taken |= set(Application.objects.values_list("enterprise_id", flat=True))
    projects = (
        Project.objects.filter(category__in=["high_end", "intelligent", "green"])
        .annotate(base=F("equipment_investment") + F("software_investment"))
        .filter(base__gte=Decimal("10000000"))
        .exclude(enterprise_id__in=taken)
        .order_by("pk")
    )
    hashed = make_password(PASSWORD)  # one hash for all: hashing 100 times would cost a minute
    seen: set[int] = set()
    n = have
    for p in projects.iterator():
        if n >= users:
            break
        if p.enterprise_id in seen:
            continue
        seen.add(p.enterprise_id)
        n += 1
        User.objects.create(
            username=f"{PREFIX}{n:03d}",
            full_name=f"填报员{n:03d}",
            role=Role.ENTERPRISE,
            enterprise_id=p.enterprise_id,
            password=hashed,
            password_changed_at=timezone.now(),
            must_change_password=False,
        )
    if n < users:
        _die(f"演示数据中可用的企业不足 {users} 家（只有 {n} 家）：请用更大的 `jigai demo --enterprises`。")


def _reset_drafts() -> list[tuple[str, int]]:
    """Every rush account back to exactly one draft (created by the service); [(username, draft pk)]."""
    from django.db.models import F

    from jigai.accounts.models import Role, User
    from jigai.funding import services
    from jigai.funding.models import Application, AppStatus, Guideline
    from jigai.registry.models import Project

    guideline = Guideline.objects.filter(status="published").order_by("-pk").first()
    out = []
    for user in User.objects.filter(username__startswith=PREFIX, role=Role.ENTERPRISE).order_by("username"):
        apps = Application.objects.filter(enterprise_id=user.enterprise_id)
        apps.exclude(status=AppStatus.DRAFT).delete()  # submitted in the last run: a fresh draft instead
        draft = apps.filter(status=AppStatus.DRAFT).order_by("pk").first()
        if draft is None:
            project = (
                Project.objects.filter(
                    enterprise_id=user.enterprise_id, category__in=["high_end", "intelligent", "green"]
                )
                .annotate(base=F("equipment_investment") + F("software_investment"))
                .order_by("-base")
                .first()
            )
            draft = services.application_create_draft(
                actor=user, guideline=guideline, item="3.1.1", target=project, summary="年度重点技改项目"
            )
        out.append((user.username, draft.pk))
    return out


# ---------------------------------------------------------------------------------------------- the server


def _server_env(bench_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": bench_url,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "JIGAI_SECRET_KEY": env.get("JIGAI_BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "JIGAI_AUDIT_KEY": env.get("JIGAI_BENCH_AUDIT_KEY") or secrets.token_hex(32),
            "JIGAI_SSL_REDIRECT": "0",
            "JIGAI_DEBUG": "0",
            "JIGAI_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "JIGAI_LOG_LEVEL": "ERROR",
        }
    )
    return env


def _start_server(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    if threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(threads)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).status_code < 500:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            _die("gunicorn 未能启动。")
        time.sleep(0.5)
    _stop_server(proc)
    _die("gunicorn 60 秒内未就绪。")
    raise AssertionError


def _stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


# ------------------------------------------------------------------------------------------------ the load


class Stats:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.errors = 0
        self.kinds: dict[str, int] = {}
        self.by_kind: dict[str, list[float]] = {}
        self.samples: list[str] = []

    def add(self, seconds: float, ok: bool, what: str) -> None:
        self.times.append(seconds)
        self.kinds[what] = self.kinds.get(what, 0) + 1
        self.by_kind.setdefault(what, []).append(seconds * 1000)
        if not ok:
            self.errors += 1

    def error(self, text: str) -> None:
        if len(self.samples) < 5:
            self.samples.append(text)


class Visitor:
    """One signed-in enterprise user: its own cookies (kept by hand: they are Secure, over plain HTTP)."""

    def __init__(self, client, base: str, username: str, pk: int, submits: bool) -> None:
        self.client, self.base, self.username, self.pk, self.submits = client, base, username, pk, submits
        self.cookies: dict[str, str] = {}
        self.saves = 0
        self.submitted = False

    def _headers(self, path: str) -> dict[str, str]:
        origin = self.base.replace("http://", "https://")
        h = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return h

    async def request(self, method: str, path: str, data: dict | None = None):
        if data is not None and "csrftoken" in self.cookies:
            data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        r = await self.client.request(method, self.base + path, data=data, headers=self._headers(path))
        for raw in r.headers.get_list("set-cookie"):
            c = SimpleCookie()
            c.load(raw)
            for k, morsel in c.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = morsel.value
        self.client.cookies.clear()
        return r

    async def sign_in(self) -> None:
        await self.request("GET", "/accounts/login/")
        r = await self.request("POST", "/accounts/login/", {"username": self.username, "password": PASSWORD})
        if r.status_code != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username} 登录失败：{r.status_code}")

    async def step(self, stats: Stats) -> None:
        detail = f"/funding/applications/{self.pk}/"
        await self._timed(stats, "read", "GET", detail, 200)
        if self.submitted:
            return
        edit = detail + "edit/"
        await self._timed(stats, "edit", "GET", edit, 200)
        self.saves += 1
        form = {
            "requested_amount": "",
            "contact_person": f"联系人{self.saves % 7}",
            "contact_phone": "13800138000",
            "summary": f"年度重点技改项目（第 {self.saves} 次保存）",
        }
        await self._timed(stats, "save", "POST", edit, 302, form)
        if self.submits and self.saves == 2:
            await self._timed(stats, "submit", "POST", detail + "submit/", 302, {})
            self.submitted = True

    async def _timed(self, stats, what, method, path, expect, data=None) -> None:
        t = time.perf_counter()
        try:
            r = await self.request(method, path, data)
            ok = r.status_code == expect
            if not ok:
                stats.error(f"{method} {path} → {r.status_code}")
        except Exception as exc:  # a transport error (timeout, reset) is an error of the run
            ok = False
            stats.error(f"{method} {path} → {type(exc).__name__}")
        stats.add(time.perf_counter() - t, ok, what)


async def _run_for(seconds: float, body) -> tuple[Stats, float]:
    stats = Stats()
    end = time.perf_counter() + seconds
    t0 = time.perf_counter()

    async def loop(i: int) -> None:
        while time.perf_counter() < end:
            await body(i, stats)

    await asyncio.gather(*(loop(i) for i in range(_run_for.concurrency)))
    return stats, time.perf_counter() - t0


_run_for.concurrency = 100


async def _load(base: str, accounts: list[tuple[str, int]], args) -> dict[str, tuple[Stats, float]]:
    import httpx

    limits = httpx.Limits(max_connections=len(accounts) + 10, max_keepalive_connections=len(accounts) + 10)
    timeout = httpx.Timeout(60.0)
    async with httpx.AsyncClient(limits=limits, timeout=timeout, follow_redirects=False) as client:
        visitors = [
            Visitor(client, base, name, pk, submits=(i % 3 == 0)) for i, (name, pk) in enumerate(accounts)
        ]
        t = time.perf_counter()
        sem = asyncio.Semaphore(10)  # sign-in hashes the password (PBKDF2): not all at once

        async def sign(v: Visitor) -> None:
            async with sem:
                await v.sign_in()

        await asyncio.gather(*(sign(v) for v in visitors))
        print(f"  {len(visitors)} 个企业用户已登录（{time.perf_counter() - t:.0f} 秒）", flush=True)
        _run_for.concurrency = len(visitors)
        anon = [Visitor(client, base, "", 0, False) for _ in visitors]

        async def trivial(i: int, stats: Stats) -> None:
            await anon[i]._timed(stats, "login page", "GET", "/accounts/login/", 200)

        async def rush(i: int, stats: Stats) -> None:
            await visitors[i].step(stats)

        out = {"trivial": await _run_for(args.trivial_seconds, trivial)}
        out["rush"] = await _run_for(args.seconds, rush)
        out["_submitted"] = sum(v.submitted for v in visitors)
        return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _report(label: str, stats: Stats, wall: float) -> float:
    rps = len(stats.times) / wall if wall else 0.0
    ms = [t * 1000 for t in stats.times]
    kinds = "，".join(f"{k} {len(t)}（p50 {_pct(t, 50):.0f} ms）" for k, t in stats.by_kind.items())
    print(
        f"| {label} | {len(stats.times)} | {rps:.1f} | {_pct(ms, 50):.0f} | {_pct(ms, 95):.0f} | "
        f"{_pct(ms, 99):.0f} | {stats.errors} | {kinds} |"
    )
    for s in stats.samples:
        print(f"|   错误示例 | {s} |")
    return rps


# --------------------------------------------------------------------------------------------- profiling


def _profile(accounts: list[tuple[str, int]]) -> None:
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from jigai.accounts.models import User

    username, pk = accounts[-1]
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    url = f"/funding/applications/{pk}/edit/"
    form = {
        "contact_person": "联系人",
        "contact_phone": "13800138000",
        "summary": "剖析",
        "requested_amount": "",
    }
    for path, method in ((url, "post"), (f"/funding/applications/{pk}/", "get"), (url, "get")):
        with CaptureQueriesContext(connection) as q:
            r = getattr(client, method)(path, form if method == "post" else None, secure=True)
        print(f"{method.upper()} {path}: {r.status_code}，{len(q)} 条查询")
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for n in range(50):  # each save changes the summary: a save that changes nothing writes nothing
        client.post(url, {**form, "summary": f"剖析（第 {n} 次保存）"}, secure=True)
        client.get(f"/funding/applications/{pk}/", secure=True)
    prof.disable()
    print(f"50 次（保存 + 详情）：每次 {(time.perf_counter() - t) / 50 * 1000:.1f} ms")
    prof.dump_stats(os.environ.get("JIGAI_BENCH_PROFILE", "/tmp/bench_rush.prof"))
    pstats.Stats(prof).sort_stats("cumulative").print_stats(45)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="jigai_rush")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--trivial-seconds", type=float, default=20)
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    admin_url, bench_url = _urls(args.db)
    fresh = _prepare_database(admin_url, args.db, args.rebuild)
    env = _server_env(bench_url)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "JIGAI_AUDIT_KEY", "JIGAI_EMAIL_BACKEND")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["JIGAI_DEBUG"] = "0"
    import django

    django.setup()
    print(f"数据库 {args.db}（{'新建' if fresh else '复用'}）", flush=True)
    _build(args.users)
    accounts = _reset_drafts()[: args.users]
    print(f"  {len(accounts)} 个企业账号，各有一份草稿", flush=True)
    if args.profile:
        _profile(accounts)
        return
    from django.db import connections

    connections.close_all()
    proc = _start_server(env, args.port, args.workers, args.threads)
    load = os.getloadavg()
    try:
        out = asyncio.run(_load(f"http://127.0.0.1:{args.port}", accounts, args))
    finally:
        _stop_server(proc)
    print(
        f"\ngunicorn {args.workers} 个进程{f' × {args.threads} 线程' if args.threads > 1 else ''}，"
        f"并发 {len(accounts)}；冲刺 {args.seconds:.0f} 秒，登录页 {args.trivial_seconds:.0f} 秒"
    )
    print("| 负载 | 请求数 | 每秒请求 | p50 (ms) | p95 (ms) | p99 (ms) | 错误 | 构成 |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    trivial = _report("登录页（GET）", *out["trivial"])
    rush = _report("草稿阅读/保存/提交", *out["rush"])
    from jigai.funding.models import Application, AppStatus

    done = Application.objects.filter(
        enterprise__users__username__startswith=PREFIX, status=AppStatus.SUBMITTED
    ).count()
    print(
        f"\n比值（冲刺 / 登录页）：{rush / trivial if trivial else 0:.2f}；"
        f"提交 {out['_submitted']} 个用户，已提交的申报 {done} 件"
    )
    print(f"负载（开始/结束）：{load[0]:.2f} / {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
