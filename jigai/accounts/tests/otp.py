"""Test helpers for the second factor (issue 12), used by the root conftest.py for every test:

- `Client.force_login` / `Client.login` sign in VERIFIED: for an account of a second-factor role the session
  is also marked as having passed the code step, with the account's authenticator (one is created when it
  has none). Tests of the code step itself ask for an unverified session:
      client.force_login(user, verified=False)      # or: with unverified_logins(): client.login(...)
- `next_code(device)`: the code an authenticator would give that the device still accepts (django-otp
  refuses a code of a time step already used, so two sign-ins within 30 s need the next step's code).
- `auto_answer_codes(page)`: a Playwright page answers the code step by itself, as a user with the app would
  (the enrolment page's secret, or the account's device key from the database), and continues past the
  recovery codes — installed on every page by the root conftest so the journeys sign in unchanged; a test
  of the code step marks itself `@pytest.mark.manual_otp`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jigai.accounts.otp import requires_second_factor

_STATE = {"verify_logins": True, "auto_answer": True}
_original_login = ClientMixin._login
_original_force_login = ClientMixin.force_login


def device_for(user: Any) -> TOTPDevice:
    """The account's confirmed authenticator, created (random key) when it has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)
    return device


def mark_verified(client: Any, user: Any) -> None:
    """Mark the client's session as having passed the code step with the user's authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    session.save()


def _login(self: Any, user: Any, backend: Any = None) -> None:
    _original_login(self, user, backend)
    if _STATE["verify_logins"] and getattr(self, "_jigai_verify", True) and requires_second_factor(user):
        mark_verified(self, user)


def _force_login(self: Any, user: Any, backend: Any = None, *, verified: bool = True) -> None:
    self._jigai_verify = verified
    try:
        _original_force_login(self, user, backend)
    finally:
        self._jigai_verify = True


def install_client_patch() -> None:
    ClientMixin._login = _login
    ClientMixin.force_login = _force_login


@contextlib.contextmanager
def unverified_logins() -> Iterator[None]:
    """Inside: Client.login / force_login leave the session unverified (the code step still to do)."""
    _STATE["verify_logins"] = False
    try:
        yield
    finally:
        _STATE["verify_logins"] = True


def next_code(device: TOTPDevice, *, wait: bool = True) -> str:
    """A code the device accepts now: of the current time step, or a later one within the tolerance when
    the current one was used; waits for the next step when even those are used."""
    device.refresh_from_db()
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        now_t = totp.t()
        t = max(now_t - device.tolerance, device.last_t + 1)
        if t <= now_t + device.tolerance:
            return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)
        if not wait:
            raise RuntimeError("本时间段的动态口令已全部用过")
        time.sleep(1)


def code_for_secret(secret: str) -> str:
    """What an authenticator app shows now for a base32 secret (the enrolment page's)."""
    from base64 import b32decode

    key = b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    return str(TOTP(key).token()).zfill(6)


# ------------------------------------------------------------------ Playwright


def set_auto_answer(on: bool) -> None:
    _STATE["auto_answer"] = on


def _answer(page: Any) -> None:
    form = page.locator("form[data-otp-step]")
    step = form.get_attribute("data-otp-step")
    if step == "enrol":
        code = code_for_secret(page.locator("[data-otp-secret]").get_attribute("data-otp-secret"))
    else:
        from jigai.accounts.models import User

        user = User.objects.get(username=form.get_attribute("data-otp-user"))
        code = next_code(device_for(user))
    form.locator("input[name=token]").fill(code)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


def _continue(page: Any) -> None:
    page.locator("[data-otp-continue]").click()
    page.wait_for_load_state("load")


def auto_answer_codes(page: Any) -> Any:
    """Let the page answer the code step and pass the recovery codes by itself (see the module doc); not in
    a test marked manual_otp."""
    if not _STATE["auto_answer"] or getattr(page, "_jigai_otp_handler", False):
        return page
    # Handlers without parameters (Playwright passes the locator to one that takes one): they need the page.
    page.add_locator_handler(page.locator("form[data-otp-step]"), lambda: _answer(page))
    page.add_locator_handler(page.locator("[data-otp-continue]"), lambda: _continue(page))
    page._jigai_otp_handler = True
    return page
