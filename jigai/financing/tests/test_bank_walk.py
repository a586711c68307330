"""The bank role's access rules joined to the generated page test (tests/urlwalk.py): signed in as the
demo bank user `yinhang`, EVERY page of the URL configuration and EVERY operation of the OpenAPI document
is requested with real ids. Outside the bank portal the answer is 403, 404, 302 or 405 (422 for a write
with an empty body); 200 only for the portal's pages, the bank's own objects (published whitelist entries,
events its institution is invited to) and the pages every visitor or every signed-in user has (public
notices, the workbench, one's own password, help). Nothing a bank reads is ever a 5xx.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from jigai.accounts.models import User
from tests import urlwalk
from tests.test_every_url import API_PREFIX, FILLERS, _as_api_path, _openapi_paths

from ..models import EntryStatus, EventInstitution, InstitutionMember, WhitelistEntry

# The portal: the bank's pages (financing.*) and API operations.
PORTAL_PAGES = {
    "financing:bank_list",
    "financing:bank_export",
    "financing:bank_detail",
    "financing:event_list",
    "financing:event_export",
    "financing:event_detail",
    "financing:outcome_list",
    "financing:outcome_export",
}
PORTAL_API = {
    "/api/v1/financing/portal",
    "/api/v1/financing/portal/{id}",
    "/api/v1/financing/outcomes",
    "/api/v1/financing/events",
    "/api/v1/financing/events/{id}",
}
# Pages every signed-in user has, whatever the role: the workbench, one's own account, messages, jobs, help.
PERSONAL_PAGES = {
    "dashboard",
    "accounts:password_change",
    "accounts:password_change_done",
    "jobs:list",
    "web:help",
    "web:help_role",
}
PERSONAL_PREFIXES = ("accounts:otp_", "accounts:security_overview", "notifications:", "jobs:")
REFUSED = {302, 403, 404, 405}
API_REFUSED = REFUSED | {422}  # a GET without its required query parameters is refused by the schema first
# Every other area is closed to banks by the portal's wall (jigai/financing/gate.py), whatever the view's
# own checks would answer: nothing outside the portal, the personal pages and the public pages is open.
NOT_YET_CLOSED: set[str] = set()
REFERENCE_OPEN: set[str] = set()


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", enterprises=20, stdout=io.StringIO())
        bank = User.objects.get(username="yinhang")
        bank.password_changed_at = timezone.now()
        bank.must_change_password = False
        bank.save()
        anonymous = Client()
        openapi = anonymous.get(f"{API_PREFIX}/openapi.json").json()
        yield bank, openapi, anonymous
        transaction.set_rollback(True)


def _own_ids(bank: User) -> dict[str, set[int]]:
    inst = InstitutionMember.objects.get(user=bank).institution_id
    return {
        "entry": set(
            WhitelistEntry.objects.filter(status=EntryStatus.PUBLISHED).values_list("pk", flat=True)
        ),
        "event": set(EventInstitution.objects.filter(institution_id=inst).values_list("event_id", flat=True)),
    }


def _get(client: Client, url: str) -> int:
    with transaction.atomic():
        return client.get(url).status_code


def _empty(body: object) -> bool:
    if isinstance(body, list):
        return not body
    if isinstance(body, dict):
        return body.get("total") == 0 or body.get("items") == [] or body.get("count") == 0
    return False


def _is_personal(name: str) -> bool:
    return name in PERSONAL_PAGES or name.startswith(PERSONAL_PREFIXES)


@pytest.mark.django_db
def test_bank_reaches_only_its_portal(walk):
    bank, openapi, anonymous = walk
    client = Client()
    api_paths = _openapi_paths(openapi)
    own = _own_ids(bank)
    problems: list[str] = []
    portal_answered: set[str] = set()
    for r in urlwalk.routes():
        if _as_api_path(r.route) in api_paths or r.name in ("accounts:logout",) or "logout" in r.route:
            continue
        values = FILLERS.fill(r.name, r.route, r.params, bank, urlwalk.PARAM)
        if values is None:  # test_every_url fails on it for every role; here the financing routes must fill
            assert not r.name.startswith("financing:"), f"add a filler for {r.name}"
            continue
        for kwargs in values:
            url = urlwalk.build_path(r.route, kwargs)
            client.force_login(bank)
            status = _get(client, url)
            if r.name in PORTAL_PAGES:
                pk = kwargs.get("pk")
                kind = "event" if "event" in r.name else "entry"
                if pk is not None and pk not in own[kind]:
                    if status != 404:
                        problems.append(f"{url}: {status} (not the bank's {kind}: expected 404)")
                elif status == 200:
                    portal_answered.add(r.name)
                elif status not in REFUSED:
                    problems.append(f"{url}: {status}")
                continue
            if status == 200 and (r.name in NOT_YET_CLOSED or r.name in REFERENCE_OPEN):
                continue
            if status == 200 and not _is_personal(r.name) and _get(anonymous, url) != 200:
                problems.append(f"{url} ({r.name}): 200 to the bank, outside its portal")
            elif status not in REFUSED | {200}:
                problems.append(f"{url} ({r.name}): {status}")
    for path, operations in sorted(openapi["paths"].items()):
        full = API_PREFIX + path.removeprefix(API_PREFIX)
        params = tuple(m["name"] for m in urlwalk.API_PARAM.finditer(full))
        values = FILLERS.fill(full, full, params, bank, urlwalk.API_PARAM)
        if values is None:
            assert "/financing/" not in full, f"add a filler for {full}"
            continue
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for kwargs in values:
                url = urlwalk.build_path(full, kwargs, urlwalk.API_PARAM)
                client.force_login(bank)
                with transaction.atomic():
                    if method == "get":
                        response = client.get(url)
                    else:
                        response = getattr(client, method)(url, data={}, content_type="application/json")
                status = response.status_code
                if method != "get":
                    if 200 <= status < 300 or status >= 500:
                        problems.append(f"{method.upper()} {url}: {status}")
                    continue
                if full in PORTAL_API:
                    pk = kwargs.get("id")
                    kind = "event" if "/events/" in full else "entry"
                    if pk is not None and pk not in own[kind] and status != 404:
                        problems.append(f"GET {url}: {status} (not the bank's: expected 404)")
                    elif status == 200:
                        portal_answered.add(full)
                    continue
                if status == 200 and full in NOT_YET_CLOSED | REFERENCE_OPEN:
                    if full in NOT_YET_CLOSED and not _empty(response.json()):
                        problems.append(f"GET {url}: 200 with rows to the bank")
                    continue
                if status == 200 and _get(anonymous, url) != 200:
                    problems.append(f"GET {url}: 200 to the bank, outside its portal")
                elif status not in API_REFUSED | {200}:
                    problems.append(f"GET {url}: {status}")
    assert not problems, "\n".join(problems)
    assert portal_answered >= {"financing:bank_list", "financing:bank_detail", "financing:event_detail"}
    assert portal_answered >= PORTAL_API


@pytest.mark.django_db
def test_bank_side_menu_holds_only_the_portal(walk):
    """Besides its portal, a bank user's side menu holds only public pages and its own account's pages."""
    from jigai.accounts.menu import SIDE_MENU, side_menu_for

    bank = walk[0]
    nav = side_menu_for(bank, "/dashboard/")
    groups = {g["label"]: [i["label"] for i in g["items"]] for g in nav.groups}
    assert groups["融资与用地"] == ["融资需求", "融资对接活动", "融资成果"]
    assert "项目库" not in groups
    general = {i.label for items in SIDE_MENU.values() for i in items if i.public or not i.permissions}
    others = {label for name, labels in groups.items() if name != "融资与用地" for label in labels}
    assert others <= general, others - general
