from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap

from jigai.policy import (
    LIMIT_LABELS,
    QUALIFICATION_LABELS,
    REASON_LABELS,
    STAGE_LABELS,
    RequestError,
    evaluate_request,
    item_catalog,
)
from jigai.web.calculator_forms import CalculatorForm, present_result

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
