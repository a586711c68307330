"""Platform and title pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jigai.audit.selectors import audit_history

from .. import selectors, services
from ..facts import items_for
from ..forms import (
    AssessmentForm,
    PlatformForm,
    TitleForm,
)
from ..models import (
    PlatformKind,
    TitleKind,
)
from ._common import (
    _child_page,
    _create_page,
    _edit_page,
    _is_editor,
    _object_list,
)


@login_required
def platform_list(request: HttpRequest) -> HttpResponse:
    return _object_list(
        request, selectors.platform_list, "registry/platform_list.html", "平台", PlatformKind.choices
    )


@login_required
def platform_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        PlatformForm,
        services.platform_create,
        "登记平台",
        "registry:platform_list",
        "平台已登记。",
        "registry:platform_detail",
    )


@login_required
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(actor=request.user, pk=pk)
    ctx = {
        "platform": platform,
        "assessments": platform.assessments.all(),
        "can_edit": _is_editor(request.user, platform.enterprise),
        "items": items_for(platform),
        "events": audit_history(obj=platform),
    }
    return render(request, "registry/platform_detail.html", ctx)


@login_required
def platform_edit(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(actor=request.user, pk=pk)
    return _edit_page(
        request,
        platform,
        PlatformForm,
        services.platform_update,
        "platform",
        f"修改平台：{platform}",
        "registry:platform_detail",
    )


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    platform = selectors.platform_get(actor=request.user, pk=pk)
    return _child_page(
        request,
        platform,
        AssessmentForm,
        services.assessment_create,
        "platform",
        f"登记年度考核：{platform}",
        "registry:platform_detail",
        platform.pk,
    )


@login_required
def title_list(request: HttpRequest) -> HttpResponse:
    return _object_list(
        request, selectors.title_list, "registry/title_list.html", "试点示范称号", TitleKind.choices
    )


@login_required
def title_create(request: HttpRequest) -> HttpResponse:
    return _create_page(
        request,
        TitleForm,
        services.title_create,
        "登记试点示范称号",
        "registry:title_list",
        "称号已登记。",
        "registry:title_detail",
    )


@login_required
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    title = selectors.title_get(actor=request.user, pk=pk)
    ctx = {
        "title_obj": title,
        "can_edit": _is_editor(request.user, title.enterprise),
        "items": items_for(title),
        "events": audit_history(obj=title),
    }
    return render(request, "registry/title_detail.html", ctx)


@login_required
def title_edit(request: HttpRequest, pk: int) -> HttpResponse:
    title = selectors.title_get(actor=request.user, pk=pk)
    return _edit_page(
        request,
        title,
        TitleForm,
        services.title_update,
        "title",
        f"修改称号：{title}",
        "registry:title_detail",
    )
