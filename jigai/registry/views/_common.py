"""What the registry pages share: paging, the own enterprise, form data, running a service for a page
(errors through jigai.core.errors.run_for_page), the list/create/edit page shapes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role
from jigai.core.errors import AccessDenied, run_for_page

from .. import selectors
from ..filters import ObjectFilterForm
from ..models import (
    Enterprise,
    EnterpriseStatus,
)
from ..paging import paginate

PAGE_SIZE = 20


def _page(request: HttpRequest, qs: Any, totals: dict[str, str] | None = None) -> Any:
    """The page asked for, 20/50/100 rows (per_page), with jump-to-page (registry/_pagination.html) and,
    when asked, the sums of money columns over the whole filtered set (page.totals)."""
    return paginate(request, qs, default=PAGE_SIZE, totals=totals)


def _query(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


def _with(query: str, **params: str) -> str:
    """A query string with some parameters set (an export link: the list's filters and its fixed status)."""
    q = QueryDict(query, mutable=True)
    for key, value in params.items():
        q[key] = value
    return q.urlencode()


def _own_enterprise(request: HttpRequest) -> Enterprise:
    """The signed-in enterprise user's enterprise (re-read through the scope gate)."""
    user = request.user
    if getattr(user, "role", None) != Role.ENTERPRISE or not user.enterprise_id:
        raise AccessDenied("只有企业用户可以填报本企业的信息。")
    return selectors.enterprise_get(actor=user, pk=user.enterprise_id)


def _is_editor(user: Any, enterprise: Enterprise) -> bool:
    """Show edit links: the enterprise's own user, or a reviewer (scope already checked by the read)."""
    if user.role == Role.ENTERPRISE:
        return user.enterprise_id == enterprise.pk and enterprise.status == EnterpriseStatus.CONFIRMED
    return can(user, "enterprise.manage")


def form_data(form: forms.BaseForm, names: tuple[str, ...] | list[str] | None = None) -> dict[str, Any]:
    """cleaned_data for the service. A file field is passed only when a new file was uploaded (or the
    clear box ticked), so editing other fields keeps the stored file."""
    data = {}
    for name in names or form.cleaned_data.keys():
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if isinstance(form.fields[name], forms.FileField):
            if value is False:
                value = ""
            elif not isinstance(value, UploadedFile):
                continue
        data[name] = value
    return data


def _attempt(form: forms.BaseForm, action: Callable[[], Any]) -> Any:
    """Run a service; on a domain error put it on the form and return None (core.errors.run_for_page)."""
    return run_for_page(None, action, form=form)


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str,
    submit: str = "保存",
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    multipart = any(isinstance(f, forms.FileField) for f in form.fields.values())
    ctx = {
        "form": form,
        "title": title,
        "back": back,
        "submit": submit,
        "intro": intro,
        "multipart": multipart,
    }
    return render(request, "registry/form.html", ctx, status=400 if form.errors else status)


def _post_action(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    return run_for_page(request, action, success=done) is not None


def _object_list(
    request: HttpRequest, qs_fn: Callable, template: str, title: str, kinds: Any
) -> HttpResponse:
    form = ObjectFilterForm(request.GET or None, kinds=kinds)
    filters = form.cleaned_data if form.is_valid() else {}
    page = _page(request, qs_fn(actor=request.user, filters=filters))
    ctx = {
        "form": form,
        "page": page,
        "query": _query(request),
        "title": title,
        "is_enterprise": request.user.role == Role.ENTERPRISE,
    }
    return render(request, template, ctx)


def _create_page(
    request: HttpRequest, form_cls: type, create: Callable, title: str, back: str, done: str, detail: str
) -> HttpResponse:
    enterprise = _own_enterprise(request)
    form = form_cls(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        obj = _attempt(form, lambda: create(actor=request.user, enterprise=enterprise, data=form_data(form)))
        if obj is not None:
            messages.success(request, done)
            return redirect(detail, pk=obj.pk)
    return _form_page(request, form, title=title, back=reverse(back))


def _edit_page(
    request: HttpRequest, obj: Any, form_cls: type, update: Callable, kw: str, title: str, detail: str
) -> HttpResponse:
    form = form_cls(request.POST or None, request.FILES or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        done = _attempt(form, lambda: update(actor=request.user, data=form_data(form), **{kw: obj}))
        if done is not None:
            messages.success(request, "已保存。")
            return redirect(detail, pk=obj.pk)
    return _form_page(request, form, title=title, back=reverse(detail, args=[obj.pk]))


def _child_page(
    request: HttpRequest,
    parent: Any,
    form_cls: type,
    create: Callable,
    kw: str,
    title: str,
    detail: str,
    detail_pk: int,
    extra: Callable[[forms.BaseForm], dict] | None = None,
) -> HttpResponse:
    form = form_cls(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = form._meta.fields if hasattr(form, "_meta") else None
        data = form_data(form, fields)
        more = extra(form) if extra else {}
        done = _attempt(form, lambda: create(actor=request.user, data=data, **{kw: parent}, **more))
        if done is not None:
            messages.success(request, "已添加。")
            return redirect(detail, pk=detail_pk)
    return _form_page(request, form, title=title, back=reverse(detail, args=[detail_pk]))
