"""Pages of accounts: sign-in, password change, the workbench, and the administrators' user pages.
Thin: forms check the input, services change state, selectors read through the scope gate."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jigai.core.errors import DomainError, add_to_form, run_for_page

from . import selectors, services
from .forms import (
    LoginForm,
    LoginRecordFilterForm,
    OwnPasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
    UserFilterForm,
    UserForm,
)
from .models import User
from .permissions import require
from .roles import Role
from .scope import get_scoped_or_404
from .workbench import counters_for, grouped_links_for, recent_messages_for

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
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page": page, "locked": locked, "query": _query_without_page(request)},
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
    target = get_scoped_or_404(User, request.user, "change", pk=pk)
    if target.pk == request.user.pk:
        return redirect("accounts:password_change")  # one's own password: only with the current one
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


@require_POST
@login_required
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, services.user_unlock, "已解除 {username} 的登录锁定。")


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
