"""Pages of accounts: sign-in, password change, the workbench, and the administrators' user pages.
Thin: forms check the input, services change state, selectors read through the scope gate."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jigai.core.errors import DomainError, add_to_form, run_for_page

from . import otp, selectors, services
from .forms import (
    LoginForm,
    LoginRecordFilterForm,
    OTPEnrolForm,
    OTPTokenForm,
    OwnPasswordChangeForm,
    PasswordResetForm,
    SecurityAccountFilterForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
)
from .models import LoginRecord, User
from .permissions import can, require
from .roles import ADMIN_ROLES, SECOND_FACTOR_ROLES, Role
from .scope import get_scoped_or_404
from .signals import record_login_event
from .workbench import (
    charts_for,
    counters_for,
    deadlines_for,
    grouped_links_for,
    headlines_for,
    recent_messages_for,
)

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = "dashboard"


def lockout(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """axes' lockout answer (AXES_LOCKOUT_CALLABLE): 5 failures lock the account for 30 minutes."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)


# ------------------------------------------------------------------ the second factor (issue 12)

CODE_FAILED = "动态口令错误或已使用过。连续失败 5 次，账号将被锁定 30 分钟。"


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return reverse("dashboard")


def _code_credentials(user: Any) -> dict[str, str]:
    # "factor" tells the login log (signals.on_login_failed) that the password was right and the code not.
    return {"username": user.get_username(), "factor": "otp"}


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)  # a locked account keeps no half-signed-in session
    return lockout(request)


def _code_refused(request: HttpRequest, form: Any) -> HttpResponse | None:
    """A wrong code counts as a failed sign-in for axes (5 lock the account, as wrong passwords do)."""
    user_login_failed.send(sender=__name__, credentials=_code_credentials(request.user), request=request)
    if getattr(request, "axes_locked_out", False):
        return _locked_out(request)
    form.add_error("token", CODE_FAILED)
    return None


def _too_soon(request: HttpRequest, form: Any) -> bool:
    """django-otp's slow-down after a failure: a code sent before it ends is not tried (nor counted)."""
    seconds = otp.wait_seconds(request.user)
    if seconds:
        form.add_error("token", f"尝试过于频繁，请 {seconds} 秒后再输入。")
    return bool(seconds)


def _code_accepted(request: HttpRequest, how: str) -> None:
    # The sign-in is complete only now: this is when failures are forgotten (AXES_RESET_ON_SUCCESS is off so
    # that a right password cannot wipe the count of wrong codes) and the login log says so.
    axes_reset(username=request.user.get_username())
    request.session.cycle_key()
    record_login_event(request, kind=LoginRecord.Kind.LOGIN, user=request.user, reason=how)


def _code_step_context(request: HttpRequest, form: Any, **extra: Any) -> dict[str, Any]:
    return {"form": form, "next": request.POST.get("next") or request.GET.get("next") or "", **extra}


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Sign-in, step 2: the code of the authenticator app (or a recovery code)."""
    user = request.user
    if not otp.requires_second_factor(user) or otp.is_verified(user):
        return redirect(_next_url(request))
    if not otp.is_enrolled(user):
        return redirect("accounts:otp_enrol")
    if not AxesProxyHandler.is_allowed(request, _code_credentials(user)):
        return _locked_out(request)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_soon(request, form):
        how = otp.verify(request, form.cleaned_data["token"])
        if how:
            _code_accepted(request, "动态口令验证通过" if how == "totp" else "恢复码验证通过")
            if how == "recovery":
                messages.warning(
                    request,
                    "您使用了一个恢复码（每个只能用一次）。如手机已丢失，请联系安全管理员重置身份验证器。",
                )
            return redirect(_next_url(request))
        if (locked := _code_refused(request, form)) is not None:
            return locked
    return render(request, "accounts/otp_verify.html", _code_step_context(request, form))


@never_cache
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of a second-factor account: scan the QR code, confirm with the first code."""
    user = request.user
    if not otp.requires_second_factor(user):
        return redirect("dashboard")
    if otp.is_enrolled(user):
        return redirect(_next_url(request) if otp.is_verified(user) else reverse("accounts:otp_verify"))
    if not AxesProxyHandler.is_allowed(request, _code_credentials(user)):
        return _locked_out(request)
    device = otp.pending_device(user)
    form = OTPEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _too_soon(request, form):
        codes = otp.enrol(request, form.cleaned_data["token"])
        if codes:
            _code_accepted(request, "绑定身份验证器并验证通过")
            request.session[otp.CODES_SESSION_KEY] = codes
            nxt = _next_url(request)
            return redirect(f"{reverse('accounts:otp_codes')}?{urlencode({'next': nxt})}")
        if (locked := _code_refused(request, form)) is not None:
            return locked
    return render(
        request,
        "accounts/otp_enrol.html",
        _code_step_context(
            request,
            form,
            qr=mark_safe(otp.qr_svg(device)),  # noqa: S308  (segno's own SVG markup: no user input in it)
            secret=otp.secret_text(device),
        ),
    )


@never_cache
@login_required
def otp_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes, shown once (they are taken out of the session as they are shown)."""
    if not otp.requires_second_factor(request.user):
        return redirect("dashboard")
    codes = request.session.pop(otp.CODES_SESSION_KEY, None)
    return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next_url(request)})


@require_POST
@login_required
def otp_codes_renew(request: HttpRequest) -> HttpResponse:
    if not otp.requires_second_factor(request.user):
        return redirect("dashboard")

    def renew() -> None:
        request.session[otp.CODES_SESSION_KEY] = otp.renew_recovery_codes(actor=request.user)

    run_for_page(request, renew, success="已生成新的恢复码，原有恢复码已作废。")
    return redirect("accounts:otp_codes")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = OwnPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_set_password(
                actor=user, user=user, password=form.cleaned_data["new_password1"]
            )
        except DomainError as e:
            add_to_form(form, _renamed(e, password="new_password1"))
        else:
            # Keep this session; every other session of the account ends (its auth hash no longer matches).
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。您在其他设备上的登录已失效。")
            return redirect("dashboard")
    return render(
        request,
        "registration/password_change_form.html",
        {"form": form, "forced": user.must_change_password, "expired": user.password_expired()},
    )


def _renamed(error: DomainError, **names: str) -> DomainError:
    """Point a service's field names (password, enterprise) at the form's (password1, enterprise_uscc)."""
    errors = getattr(error, "errors", None)
    for old, new in names.items():
        if errors and old in errors:
            errors[new] = errors.pop(old)
        if error.field == old:
            error.field = new
    return error


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    expires = user.password_expires_at()
    return render(
        request,
        "accounts/dashboard.html",
        {
            "counters": counters_for(user),
            "messages_recent": recent_messages_for(user),
            "charts_panel": user.role in (Role.PROVINCE, Role.LEADER),
            "charts": charts_for(user),
            "headlines": headlines_for(user),
            "deadlines": deadlines_for(user),
            "groups": grouped_links_for(user),
            "recent": selectors.recent_logins(actor=user),
            "password_days_left": max((expires - timezone.now()).days, 0),
        },
    )


# ------------------------------------------------------------------ administrators


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.user_list(actor=request.user, filters=filters))
    locked = selectors.locked_usernames([u.username for u in page])
    # 三权分立: the administrators' accounts are listed but not editable here (jigai createadmin).
    editable = {u.pk for u in page if u.role not in ADMIN_ROLES}
    return render(
        request,
        "accounts/user_list.html",
        {
            "form": form,
            "page": page,
            "locked": locked,
            "editable": editable,
            "query": _query_without_page(request),
        },
    )


def _user_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "username": data["username"],
        "full_name": data["full_name"],
        "phone": data["phone"],
        "email": data["email"],
        "role": data["role"],
        "region": data["region"],
        "enterprise": data["enterprise_uscc"],
        "is_active": data["is_active"],
    }


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    form = UserCreateForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=request.user, password=form.cleaned_data["password1"], **_user_fields(form.cleaned_data)
            )
        except DomainError as e:
            add_to_form(form, _renamed(e, password="password1", enterprise="enterprise_uscc"))
        else:
            messages.success(request, f"已创建用户 {user}。首次登录须修改初始密码。")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建用户"})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    target = get_scoped_or_404(
        User.objects.select_related("region", "enterprise"), request.user, "change", pk=pk
    )
    initial = {
        "username": target.username,
        "full_name": target.full_name,
        "phone": target.phone,
        "email": target.email,
        "role": target.role,
        "region": target.region,
        "enterprise_uscc": target.enterprise.uscc if target.enterprise else "",
        "is_active": target.is_active,
    }
    form = UserForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **_user_fields(form.cleaned_data))
        except DomainError as e:
            add_to_form(form, _renamed(e, enterprise="enterprise_uscc"))
        else:
            messages.success(request, f"已保存用户 {target.username}。")
            return redirect("accounts:user_list")
    return render(
        request, "accounts/user_form.html", {"form": form, "title": f"编辑用户 {target}", "target": target}
    )


@login_required
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    if pk == request.user.pk:
        return redirect("accounts:password_change")  # one's own password: only with the current one
    target = get_scoped_or_404(User, request.user, "change", pk=pk)
    form = PasswordResetForm(request.POST or None, user=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=target, password=form.cleaned_data["password1"]
            )
        except DomainError as e:
            add_to_form(form, _renamed(e, password="password1"))
        else:
            messages.success(
                request, f"已重置 {target.username} 的密码，其现有登录已失效，下次登录须修改密码。"
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/password_reset.html", {"form": form, "target": target})


def _user_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    require(request.user, "user.manage")
    target = get_scoped_or_404(User, request.user, "change", pk=pk)
    run_for_page(
        request,
        lambda: action(actor=request.user, user=target),
        success=done.format(username=target.username),
    )
    return redirect("accounts:user_list")


@require_POST
@login_required
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, services.user_disable, "已停用 {username}，其所有登录立即失效。")


@require_POST
@login_required
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, services.user_enable, "已启用 {username}。")


def _security_action(request: HttpRequest, pk: int, permission: str, action: Any, done: str) -> HttpResponse:
    require(request.user, permission)
    target = get_scoped_or_404(User, request.user, "secure", pk=pk)
    run_for_page(
        request,
        lambda: action(actor=request.user, user=target),
        success=done.format(username=target.username),
    )
    return redirect("accounts:security_accounts")


@require_POST
@login_required
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _security_action(
        request, pk, "account.unlock", services.user_unlock, "已解除 {username} 的登录锁定。"
    )


@require_POST
@login_required
def user_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _security_action(
        request,
        pk,
        "otp.reset",
        otp.reset,
        "已重置 {username} 的身份验证器：其现有登录须重新验证，下次登录时重新绑定。",
    )


@login_required
def security_overview(request: HttpRequest) -> HttpResponse:
    """安全策略: the security settings in force and where the accounts stand (security administrator)."""
    require(request.user, "security.manage")
    second_factor = [Role(r).label for r in Role.values if r in SECOND_FACTOR_ROLES]
    return render(
        request,
        "accounts/security_overview.html",
        {"policy": selectors.security_overview(), "second_factor_roles": "、".join(second_factor)},
    )


@login_required
def security_accounts(request: HttpRequest) -> HttpResponse:
    """账号安全: lockouts and authenticators of every account (security administrator)."""
    if not (can(request.user, "account.unlock") or can(request.user, "otp.reset")):
        require(request.user, "account.unlock")
    form = SecurityAccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.security_account_list(actor=request.user, filters=filters))
    return render(
        request,
        "accounts/security_accounts.html",
        {
            "form": form,
            "page": page,
            "locked": selectors.locked_usernames([u.username for u in page]),
            "second_factor_roles": SECOND_FACTOR_ROLES,
            "query": _query_without_page(request),
        },
    )


@login_required
def login_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "loginlog.view")
    form = LoginRecordFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, selectors.login_record_list(actor=request.user, filters=filters))
    return render(
        request,
        "accounts/login_log.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )
