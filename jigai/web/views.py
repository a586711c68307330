from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap

from jigai.accounts.roles import Role
from jigai.policy import (
    LIMIT_LABELS,
    QUALIFICATION_LABELS,
    REASON_LABELS,
    STAGE_LABELS,
    RequestError,
    evaluate_request,
    item_catalog,
)
from jigai.policy.text import policy_document
from jigai.web.calculator_forms import CalculatorForm, present_result
from jigai.web.help import role_help

DEFAULT_ITEM = "3.1.1"
RESULT_LABELS = {"reasons": REASON_LABELS, "limits": LIMIT_LABELS, "stages": STAGE_LABELS}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def calculator(request: HttpRequest) -> HttpResponse:
    """政策计算器: public. A plain form POST (works without JavaScript); with htmx only the panel is sent."""
    catalog = item_catalog()
    result = None
    evaluated = False
    if request.method == "POST":
        form = CalculatorForm(catalog, request.POST, qualification_labels=QUALIFICATION_LABELS)
        if not form.apply_action(request.POST):
            evaluated = True
            case = form.to_case()
            if case is not None:
                try:
                    (answer,) = evaluate_request({"cases": [case]})["results"]
                except RequestError as exc:  # not expected for a form-built case; shown, never a 500
                    form.non_field_errors.append(exc.message)
                else:
                    if "error" in answer:
                        form.add_engine_error(answer["error"])
                    else:
                        result = present_result(answer, catalog, RESULT_LABELS)
    else:
        form = CalculatorForm(
            catalog,
            item=request.GET.get("item") or DEFAULT_ITEM,
            qualification_labels=QUALIFICATION_LABELS,
        )
    context = {"form": form, "result": result, "evaluated": evaluated}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = render(request, "web/calculator_panel.html", context)
        # after a calculation bring the answer into view; row and item edits keep the scroll position
        return reswap(response, "outerHTML show:#calc-result:top") if evaluated else response
    return render(request, "web/calculator.html", context)


def policy(request: HttpRequest) -> HttpResponse:
    """政策原文 (public): every clause anchored (#clause-三-一-1), so a cited clause links to its sentence."""
    return render(request, "web/policy.html", {"doc": policy_document()})


def help_index(request: HttpRequest) -> HttpResponse:
    """帮助: the signed-in user's role's help; for a visitor, the list of roles."""
    user = request.user
    if user.is_authenticated and role_help(user.role) is not None:
        return redirect("web:help_role", role=user.role)
    return render(request, "web/help/index.html", {"roles": _role_links(None)})


def help_role(request: HttpRequest, role: str) -> HttpResponse:
    """One role's day of work in short steps (public: nothing in it is confidential)."""
    found = role_help(role)
    if found is None:
        raise Http404("没有这个角色的帮助。")
    steps = []
    for step in found.steps:
        try:
            url = reverse(step.url_name) if step.url_name else ""
        except NoReverseMatch:
            url = ""
        steps.append({"text": step.text, "url": url})
    context = {
        "role_label": Role(role).label,
        "intro": found.intro,
        "steps": steps,
        "roles": _role_links(role),
    }
    return render(request, "web/help/role.html", context)


def _role_links(current: str | None) -> list[dict[str, object]]:
    return [
        {"label": r.label, "url": reverse("web:help_role", args=[r.value]), "current": r.value == current}
        for r in Role
        if role_help(r.value) is not None
    ]
