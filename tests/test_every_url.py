"""Every page and every API operation, as every demo role, on the demo data: no answer is a server error.

Generated, not listed: the pages come from the URL configuration (django.urls.get_resolver(), walked
recursively) and the API operations from the OpenAPI document, so a URL added later is requested without
editing this file. Path parameters are filled with real ids (tests/urlwalk.py): objects in the role's
scope and outside it, the first and last of the table, and one that does not exist. A URL whose parameters
cannot be filled fails the test ("add a filler for <name>"); one whose model has no rows fails too (the
fixture below must create some), so nothing is skipped silently.

Pages are requested with GET (403/404/302/405 are fine). API operations: GET with their path parameters;
POST/PUT/PATCH/DELETE with the empty JSON body `{}` (a 4xx is expected). Any 5xx, or an exception out of
the view, is collected; every one of a role is reported at the end, then the test fails.

The demo is built once for the module (`jigai demo`, DEMO_ENTERPRISES enterprises) inside one outer
transaction that is rolled back afterwards; each role's test runs in its own savepoint (pytest-django's
`db`), so what one role's requests change is undone before the next role.
"""

from __future__ import annotations

import io
import re
import traceback
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from jigai.accounts.models import User
from jigai.funding import models as fm
from jigai.funding import services as funding_services
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification
from jigai.registry import models as rm

from . import urlwalk

DEMO_ENTERPRISES = 60
ROLES = [
    "anonymous",
    "qiye",
    "xianji",
    "shiji",
    "shengting",
    "zhuanjia",
    "caizheng",
    "caizheng2",
    "yinhang",
    "lingdao",
    "admin",
    "anquan",
    "shenji",
]
API_PREFIX = "/api/v1"
ATTACHMENT_BYTES = b"%PDF-1.4\n% jigai every-url attachment\n%%EOF\n"

# The model behind a path parameter, by the path segment just before it (pages and API alike); a label
# for a model that may not exist yet.
SEGMENT_MODELS: dict[str, Any] = {
    "enterprises": rm.Enterprise,
    "qualifications": rm.Qualification,
    "projects": rm.Project,
    "progress": rm.ProgressReport,
    "products": rm.Product,
    "policies": rm.InsurancePolicy,
    "platforms": rm.Platform,
    "titles": rm.Title,
    "applications": fm.Application,
    "attachments": fm.Attachment,
    "guidelines": fm.Guideline,
    "reviews": fm.ExpertAssignment,
    "allocations": fm.Allocation,
    "notices": fm.PublicNotice,
    "objections": fm.Objection,
    "stages": fm.PaymentStage,
    "payments": fm.Payment,
    "users": User,
    "notifications": Notification,
    "flags": "funding.FingerprintFlag",
    "other-funds": "funding.OtherFundAward",
    "jobs": "jobs.Job",
}
# Where the segment does not name the model.
NAME_MODELS: dict[str, Any] = {
    "funding:decision": fm.Guideline,  # funding/decision/<pk>/: the round (guideline) to decide
}


def _child_delete(user: Any) -> list[dict[str, Any]]:
    from jigai.registry.views import _DELETABLE

    out = []
    for kind, (model, *_rest) in sorted(_DELETABLE.items()):
        out += [{"kind": kind, "pk": pk} for pk in urlwalk.model_ids(model, user)[:2]]
    return [*out, {"kind": "nosuchkind", "pk": 1}]


def _import_kinds(user: Any) -> list[dict[str, Any]]:
    from jigai.registry.excel import IMPORTERS

    return [{"kind": k} for k in sorted(IMPORTERS)] + [{"kind": "nosuchkind"}]


def _export_kinds(user: Any) -> list[dict[str, Any]]:
    from jigai.registry.excel import EXPORTERS

    return [{"kind": k} for k in sorted(EXPORTERS)] + [{"kind": "nosuchkind"}]


def _error_tokens(user: Any) -> list[dict[str, Any]]:
    """The user's own marked workbook of a failed import (a real token), someone else's, and rubbish."""
    from jigai.registry.excel import IMPORTERS
    from jigai.registry.excel.views import _keep_error_file

    kind = sorted(IMPORTERS)[0]
    other = _keep_error_file(0, b"PK\x03\x04 not mine")
    out = [{"kind": kind, "token": other}, {"kind": kind, "token": "not-a-token"}]
    if user is not None and user.is_authenticated:
        out.insert(0, {"kind": kind, "token": _keep_error_file(user.pk, b"PK\x03\x04 marked workbook")})
    return out


# Apps contribute their own fillers in `jigai/<app>/tests/every_url.py` (optional names: SEGMENT_MODELS,
# NAME_MODELS, SPECIAL, MUST_ANSWER, complete_demo()), so a new area never edits this file.
EXTRAS = urlwalk.app_extras()
for extra in EXTRAS:
    SEGMENT_MODELS.update(getattr(extra, "SEGMENT_MODELS", {}))
    NAME_MODELS.update(getattr(extra, "NAME_MODELS", {}))

FILLERS = urlwalk.Fillers(
    segment_models=SEGMENT_MODELS,
    name_models=NAME_MODELS,
    special={
        **{k: v for extra in EXTRAS for k, v in getattr(extra, "SPECIAL", {}).items()},
        "registry:child_delete": _child_delete,
        "registry_excel:import": _import_kinds,
        "registry_excel:template": _import_kinds,
        "registry_excel:export": _export_kinds,
        "registry_excel:errors": _error_tokens,
        "web:help_role": lambda user: [{"role": r} for r in ("enterprise", "county", "finance", "nosuch")],
    },
)


# Pages that must answer 200 to these roles on the demo data (documents: attachments, PDFs, exports).
MUST_ANSWER = {
    "anonymous": ["funding:public_notices", "funding:public_notice", "funding:public_notice_pdf"],
    "qiye": ["registry:project_detail", "funding:application_detail", "funding:attachment_download"],
    "xianji": [
        "registry:project_detail",
        "funding:application_detail",
        "funding:attachment_download",
        "registry_excel:export",
        "jobs:detail",
        "jobs:download",
    ],
    "shengting": [
        "registry:project_detail",
        "funding:attachment_download",
        "funding:notice_export_pdf",
        "funding:notice_export_xlsx",
        "funding:queue_export",
        "registry_excel:errors",
    ],
}
for extra in EXTRAS:
    for _role, _names in getattr(extra, "MUST_ANSWER", {}).items():
        MUST_ANSWER.setdefault(_role, []).extend(_names)


@dataclass
class Demo:
    users: dict[str, User]
    openapi: dict[str, Any]


def _complete_demo() -> None:
    """What the small demo lacks but a page serves: attachments (also one the county reviewer may read),
    a title, an SME platform's assessment, the cross-application registers."""
    for app in fm.Application.objects.filter(status__in=[fm.AppStatus.DRAFT, fm.AppStatus.RETURNED]):
        owner = User.objects.filter(role="enterprise", enterprise=app.enterprise, is_active=True).first()
        upload = SimpleUploadedFile("可研报告.pdf", ATTACHMENT_BYTES, content_type="application/pdf")
        funding_services.attachment_add(actor=owner, application=app, name="可研报告", upload=upload)
    # The demo's applications lie outside 涧西区 but for qiye's draft: one enterprise of the county
    # reviewer's region submits an application with a document, so xianji and shiji have work in scope.
    neighbour = f.enterprise_user(User.objects.get(username="xianji").region_id)
    app = f.draft(
        neighbour, fm.Guideline.objects.filter(status=fm.GuidelineStatus.PUBLISHED).order_by("pk").last()
    )
    upload = SimpleUploadedFile("设备购置合同.pdf", ATTACHMENT_BYTES, content_type="application/pdf")
    funding_services.attachment_add(actor=neighbour, application=app, name="设备购置合同", upload=upload)
    funding_services.application_submit(actor=neighbour, application=app)
    if not rm.Title.objects.exists():
        ent = rm.Enterprise.objects.order_by("pk").first()
        rm.Title.objects.create(
            enterprise=ent,
            kind="green_factory",
            awarded_by="miit",
            awarded_on=timezone.localdate().replace(day=1),
        )
    if not rm.PlatformAssessment.objects.exists():
        ent = rm.Enterprise.objects.order_by("pk").last()
        platform = rm.Platform.objects.create(
            enterprise=ent, kind=rm.PlatformKind.SME_SERVICE, name="中小企业公共服务平台", level="provincial"
        )
        rm.PlatformAssessment.objects.create(platform=platform, year=timezone.localdate().year - 1, rank=1)
    _complete_crosschecks()
    _complete_jobs()
    for extra in EXTRAS:
        if hasattr(extra, "complete_demo"):
            extra.complete_demo()


def _complete_jobs() -> None:
    """A finished background job with a result file (the county's), so its page and download are served."""
    from django.core.files.base import ContentFile

    from jigai.jobs.models import Job, JobStatus

    job = Job(
        owner=User.objects.get(username="xianji"),
        kind="export.projects",
        label="导出技改项目",
        handler="jigai.registry.excel.jobs.export_job",
        status=JobStatus.DONE,
        message="已导出 1 行技改项目。",
        result_name="技改项目.xlsx",
    )
    job.result_file.save("every-url.xlsx", ContentFile(b"PK\x03\x04 export"), save=False)
    job.save()


def _complete_crosschecks() -> None:
    """A row of the other funds' register and a duplicate-claim flag (when those models exist)."""
    from django.apps import apps

    submitted = list(fm.Application.objects.exclude(status=fm.AppStatus.DRAFT).order_by("pk")[:2])
    try:
        other_fund = apps.get_model("funding", "OtherFundAward")
        flag = apps.get_model("funding", "FingerprintFlag")
    except LookupError:
        return
    if not other_fund.objects.exists():
        ent = submitted[0].enterprise
        other_fund.objects.create(
            fund_name="省级科技创新专项资金",
            year=timezone.localdate().year - 1,
            uscc=ent.uscc,
            enterprise=ent,
            enterprise_name=ent.name,
            project_name="智能化改造项目",
            amount=Decimal("1000000"),
        )
    if not flag.objects.exists() and len(submitted) == 2:
        flag.objects.create(
            application=submitted[1],
            other_application=submitted[0],
            kind="invoice",
            value="4100000000-00000001",
        )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("every_url_media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", enterprises=DEMO_ENTERPRISES, stdout=io.StringIO())
        _complete_demo()
        users = {}
        for username in ROLES[1:]:
            user = User.objects.get(username=username)
            # Fresh passwords: the password policy would otherwise send every page to the change form.
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.save(update_fields=["must_change_password", "password_changed_at"])
            users[username] = user
        response = Client().get(f"{API_PREFIX}/openapi.json")
        assert response.status_code == 200, response.content[:500]
        yield Demo(users=users, openapi=response.json())
        transaction.set_rollback(True)


def _request(client: Client, method: str, url: str, failures: list[str], **kw: Any) -> int:
    """One request in its own savepoint: an exception out of the view is a failure, and leaves the
    database usable for the next request (PostgreSQL aborts the transaction on an error)."""
    try:
        with transaction.atomic():
            response = getattr(client, method.lower())(url, **kw)
    except Exception as e:  # the test client re-raises what the view raised: a 500 in production
        frames = traceback.extract_tb(e.__traceback__)
        ours = [f for f in frames if "/jigai/" in f.filename and "/site-packages/" not in f.filename]
        where = (ours or frames)[-1]
        failures.append(
            f"{method} {url}: {type(e).__name__}: {e} ({where.filename}:{where.lineno})".replace("\n", " ")
        )
        return 500
    if response.status_code >= 500:
        failures.append(f"{method} {url}: {response.status_code}")
    elif shown := _template_syntax_shown(response):
        failures.append(f"{method} {url}: template syntax or an item code shown ({shown})")
    return response.status_code


# A Django `{# … #}` comment ends on its own line: one spread over lines is printed as text (it was, on every
# paginated list). Nor may a tag or a variable reach the page unrendered.
_RAW_TEMPLATE = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")
# Nor an item's engine code (3.1.1, 3.2.1-insurance) where its Chinese name belongs (issue 9).
_ITEM_CODE = re.compile(r"(?<![\d.])3\.[1-4]\.\d(?:-[a-z]+)?(?![\d.])")


def _template_syntax_shown(response: Any) -> str:
    if not response.get("Content-Type", "").startswith("text/html") or getattr(response, "streaming", False):
        return ""
    html = response.content.decode("utf-8", "replace")
    # what the browser shows as text: not scripts and styles (their own braces), not attribute values, not
    # what a user types in a textarea, nor literal <code> (the guideline's JSON of parameter overrides names
    # its keys by code: "3.1.1.threshold")
    text = re.sub(r"<(script|style|textarea|code)\b.*?</\1>", "", html, flags=re.S | re.I)
    text = re.sub(r"<[^>]*>", " ", text)
    m = _RAW_TEMPLATE.search(text) or _ITEM_CODE.search(text)
    return "" if m is None else text[max(0, m.start() - 40) : m.end() + 40].strip()


def _login(client: Client, user: Any) -> None:
    if user is not None and "_auth_user_id" not in client.session:
        client.force_login(user)  # again after a page that signed the user out


def _openapi_paths(openapi: dict[str, Any]) -> set[str]:
    return {API_PREFIX + path.removeprefix(API_PREFIX) for path in openapi["paths"]}


def _as_api_path(route: str) -> str:
    """`api/v1/registry/projects/<id>` → `/api/v1/registry/projects/{id}` (the OpenAPI spelling)."""
    return "/" + urlwalk.PARAM.sub(lambda m: "{" + m["name"] + "}", route).lstrip("/")


def test_every_route_has_a_filler():
    """Every route's parameters can be filled (the check is repeated per role below, with the data)."""
    missing = []
    for r in urlwalk.routes():
        if not r.params or r.name in FILLERS.special:
            continue
        for param in r.params:
            if FILLERS.model_for(r.name, r.route, param, urlwalk.PARAM) is None:
                missing.append(f"add a filler for {r.name} ({r.route}, parameter {param})")
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_anywhere(demo, role):
    user = demo.users.get(role)
    client = Client()
    failures: list[str] = []
    api_paths = _openapi_paths(demo.openapi)
    requested = 0
    answered: set[str] = set()  # routes that answered 200 at least once

    # Pages: every route of the URL configuration (API routes in the OpenAPI document are done below,
    # with their methods; the API's own pages such as the docs are done here).
    for r in urlwalk.routes():
        if _as_api_path(r.route) in api_paths:
            continue
        values = FILLERS.fill(r.name, r.route, r.params, user, urlwalk.PARAM)
        if values is None:
            failures.append(f"add a filler for {r.name} ({r.route})")
            continue
        if not values:
            failures.append(f"no data for {r.name} ({r.route}): make the demo fixture create some")
            continue
        for kwargs in values:
            _login(client, user)
            if _request(client, "GET", urlwalk.build_path(r.route, kwargs), failures) == 200:
                answered.add(r.name)
            requested += 1

    # API: every operation of the OpenAPI document.
    for path, operations in sorted(demo.openapi["paths"].items()):
        full = API_PREFIX + path.removeprefix(API_PREFIX)
        params = tuple(m["name"] for m in urlwalk.API_PARAM.finditer(full))
        values = FILLERS.fill(full, full, params, user, urlwalk.API_PARAM)
        if values is None:
            failures.append(f"add a filler for {full}")
            continue
        if not values:
            failures.append(f"no data for {full}: make the demo fixture create some")
            continue
        for method in sorted(operations):
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for kwargs in values:
                url = urlwalk.build_path(full, kwargs, urlwalk.API_PARAM)
                _login(client, user)
                if method == "get":
                    _request(client, "GET", url, failures)
                else:
                    _request(client, method.upper(), url, failures, data={}, content_type="application/json")
                requested += 1

    assert requested > 100
    # The walk really reaches the documents (not only 404s): a sanity check of the data, not the coverage.
    assert set(MUST_ANSWER.get(role, ())) <= answered, set(MUST_ANSWER[role]) - answered
    assert not failures, f"{len(failures)} of {requested} requests as {role} failed:\n" + "\n".join(failures)
