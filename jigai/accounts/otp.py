"""The second factor (issue 12; 等保三级 身份鉴别: privileged accounts authenticate with two kinds of
credential). Province, finance and the three administrators sign in with a password, then a TOTP code
from an authenticator app (django-otp's TOTP device), or one of ten single-use recovery codes (its static
device). The first sign-in enrols the app; only the security administrator resets it.

The password step is Django's own login: the session is signed in but not verified, and
`SecondFactorMiddleware` lets such a session reach nothing but the code step (pages and API alike).
"""

from __future__ import annotations

import time
from base64 import b32decode, b32encode
from typing import Any

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jigai.audit.services import audit_record
from jigai.core.errors import Conflict

from .permissions import require
from .roles import SECOND_FACTOR_ROLES
from .scope import is_active_actor

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "身份验证器"
RECOVERY_NAME = "恢复码"
# The demo accounts' authenticator secret: public on purpose (README, `jigai demo`), so a newcomer can add
# it to an app or ask `jigai otp-code <username>`. An account whose device has this key is a demo account;
# `jigai otp-code` answers for no other.
DEMO_TOTP_SECRET = "JIGAIDEMOJIGAIDEMOJIGAIDEMO23456"
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()
# Recovery codes just made, shown once on the page after enrolment, then dropped from the session.
CODES_SESSION_KEY = "jigai_otp_new_codes"


def requires_second_factor(user: Any) -> bool:
    return is_active_actor(user) and user.role in SECOND_FACTOR_ROLES


def is_verified(user: Any) -> bool:
    """True once this session passed the code step (OTPMiddleware sets `user.is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def needs_verification(user: Any) -> bool:
    """A signed-in account of a second-factor role whose session has not passed the code step."""
    return requires_second_factor(user) and not is_verified(user)


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_enrolled(user: Any) -> bool:
    return confirmed_device(user) is not None


def pending_device(user: Any) -> TOTPDevice:
    """The not yet confirmed device of an enrolment (one per account; the same key until it is confirmed, so
    reloading the page does not invalidate what the user already scanned)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (segno; no image request, no script)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def secret_text(device: TOTPDevice) -> str:
    """The key in base32 groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_at(device: TOTPDevice, t: int) -> str:
    """The code of time step `t` (counted from t0, drift included), zero-padded."""
    return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for this device."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return str(totp.token()).zfill(device.digits)


def wait_seconds(user: Any) -> int:
    """Seconds until django-otp takes the next code after failures (1, 2, 4 … s; 0 = now)."""
    from django.utils import timezone

    device = confirmed_device(user) or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))


def _clean(token: str) -> str:
    return "".join((token or "").split()).lower()


def verify(request: Any, token: str) -> str | None:
    """Check a code of the signed-in user: the authenticator's (digits) or a recovery code (used up).
    On success the session is verified; returns "totp" or "recovery", else None."""
    user = request.user
    token = _clean(token)
    if not token:
        return None
    device = confirmed_device(user)
    if token.isdigit():
        if device is not None and device.verify_token(token):
            otp_login(request, device)
            return "totp"
        return None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            otp_login(request, static)
            with transaction.atomic():
                audit_record(
                    actor=user,
                    action="otp_recovery_used",
                    obj=user,
                    after={"remaining": static.token_set.count()},
                )
            return "recovery"
    return None


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def enrol(request: Any, token: str) -> list[str] | None:
    """Confirm the pending device with its first code: the account is enrolled, the session verified, and
    ten new recovery codes are returned (to be shown once). None when the code is wrong."""
    user = request.user
    if is_enrolled(user):
        raise Conflict("该账号已绑定身份验证器。", code="otp_enrolled")
    device = pending_device(user)
    token = _clean(token)
    if not token.isdigit() or not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _new_recovery_codes(user)
        audit_record(
            actor=user,
            action="otp_enrol",
            obj=user,
            after={"device": TOTP_NAME, "recovery_codes": RECOVERY_CODE_COUNT},
        )
    otp_login(request, device)
    return codes


@transaction.atomic
def renew_recovery_codes(*, actor: Any) -> list[str]:
    """A verified user replaces their recovery codes (the old ones stop working)."""
    if not is_enrolled(actor):
        raise Conflict("请先绑定身份验证器。", code="otp_not_enrolled")
    codes = _new_recovery_codes(actor)
    audit_record(actor=actor, action="otp_recovery_renew", obj=actor, after={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def reset(*, actor: Any, user: Any, reason: str = "") -> int:
    """The security administrator removes an account's authenticator and recovery codes (a lost phone): its
    next sign-in enrols again, and every session of it verified by the old device is unverified at once
    (OTPMiddleware finds the device gone). Returns the devices removed."""
    require(actor, "otp.reset")
    removed = TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()
    if not removed:
        raise Conflict("该账号尚未绑定身份验证器，无需重置。", code="otp_not_enrolled")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor, action="otp_reset", obj=user, after={"removed_devices": removed}, comment=reason
    )
    return removed


def enrol_demo(user: Any) -> TOTPDevice:
    """Pre-enrol a demo account with the documented demo secret (no recovery codes: the secret is public)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=DEMO_TOTP_KEY, confirmed=True)


def is_demo_device(device: TOTPDevice | None) -> bool:
    return device is not None and device.key.lower() == DEMO_TOTP_KEY
