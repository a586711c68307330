"""The portal (工作台) and self-registration of an enterprise."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jigai.accounts.permissions import can
from jigai.accounts.roles import Role

from .. import selectors, services
from ..forms import (
    RegistrationForm,
)
from ..industry import industry_label
from ._common import (
    _attempt,
    _own_enterprise,
    form_data,
)


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """企业门户 for enterprise users; for reviewers their work queues with counts."""
    user = request.user
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        enterprise = _own_enterprise(request)
        ctx = {
            "enterprise": enterprise,
            "industry": industry_label(enterprise.industry_section, enterprise.industry_division),
            "projects": selectors.project_list(actor=user, filters={"enterprise": enterprise.pk})[:10],
            "missing": selectors.projects_missing_statistics(actor=user),
            "counts": {
                "products": selectors.product_list(actor=user).count(),
                "platforms": selectors.platform_list(actor=user).count(),
                "titles": selectors.title_list(actor=user).count(),
            },
        }
        return render(request, "registry/portal_enterprise.html", ctx)
    ctx = {
        "to_confirm": selectors.enterprises_to_confirm(actor=user).count()
        if can(user, "enterprise.confirm")
        else None,
        **selectors.reviewer_project_counts(actor=user),  # queue, missing, in_library: one pass
        "enterprises": selectors.enterprise_list(actor=user).count(),
    }
    return render(request, "registry/portal_reviewer.html", ctx)


def register(request: HttpRequest) -> HttpResponse:
    """企业自助注册: the enterprise and its account wait for the county's confirmation."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form_data(form)
        data.pop("password2")
        result = _attempt(form, lambda: services.enterprise_register(**data))
        if result is not None:
            enterprise, user = result
            return render(request, "registry/register_done.html", {"enterprise": enterprise, "account": user})
    return render(request, "registry/register.html", {"form": form}, status=400 if form.errors else 200)
