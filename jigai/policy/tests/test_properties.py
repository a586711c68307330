"""Properties over many inputs: an amount never exceeds its cap nor rate × base, never falls when the
base grows, and the insurance sum equals an independent exact computation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from jigai.policy import evaluate_request
from jigai.policy.params import default_book
from jigai.policy.tests.helpers import case, qual, run

P = default_book().versions[-1].parameters
QUALS = [
    qual("leading_goose", "2022-03-01", "2030-12-31"),
    qual("national_little_giant", "2022-03-01", "2030-12-31"),
]
FEN = st.integers(min_value=0, max_value=10**11)  # up to 1,000,000,000.00 元
SETTINGS = settings(max_examples=60, deadline=None)


def money(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if fen % 100 else str(fen // 100)


def value(path: str) -> Decimal:
    return P[path].value


RATE_CAP = {
    "3.1.2": ("equipment_investment", {"software_investment": "0"}),
    "3.1.3": ("equipment_investment", {"software_investment": "0"}),
    "3.1.4": ("machine_purchase_investment", {}),
    "3.3.1-cultivation": ("rd_pilot_equipment_investment", {"on_cultivation_list": True, "completed": True}),
}


def amount_of(item: str, fen: int) -> int:
    key, rest = RATE_CAP[item]
    return int(run(case(item, {key: money(fen), **rest}, qualifications=QUALS))["amount"])


@SETTINGS
@given(st.sampled_from(sorted(RATE_CAP)), FEN, FEN)
def test_rate_cap_items(item, a, b):
    low, high = sorted((a, b))
    rate, cap = value(f"{item}.rate"), value(f"{item}.cap")
    x, y = amount_of(item, low), amount_of(item, high)
    for fen, amount in ((low, x), (high, y)):
        assert amount <= cap
        assert amount <= rate * Decimal(fen) / 100
        assert amount == min(int(rate * Decimal(fen) / 100), int(cap))
    assert x <= y


@SETTINGS
@given(FEN, FEN, FEN)
def test_threshold_item_never_falls_when_investment_grows(a, b, software):
    low, high = sorted((a, b))

    def amount(fen: int) -> int:
        facts = {
            "project_type": "high_end",
            "equipment_investment": money(fen),
            "software_investment": money(software),
        }
        return int(run(case("3.1.1", facts))["amount"])

    x, y = amount(low), amount(high)
    assert x <= y <= value("3.1.1.cap")
    assert y <= value("3.1.1.rate") * Decimal(high + software) / 100


PERIOD = st.tuples(st.integers(1, 30), st.integers(0, 10**9))  # months, premium in fen


def reference_insurance(prefix: str, insured_fen: int, periods: list[tuple[int, int]]) -> int:
    """The contract's formula written out again with fractions."""
    term = P[f"{prefix}.term_months"].value
    subsidy = Fraction(P[f"{prefix}.subsidy_rate"].value)
    rate_cap = Fraction(P[f"{prefix}.premium_rate_cap"].value)
    left, total = term, Fraction(0)
    for months, premium_fen in periods:
        counted = min(months, left)
        left -= counted
        premium = Fraction(premium_fen, 100) * counted / months
        ceiling = rate_cap * Fraction(insured_fen, 100) * counted / 12
        total += subsidy * min(premium, ceiling)
    return int(total)


def insurance_case(prefix: str, insured_fen: int, periods: list[tuple[int, int]]) -> dict:
    rows = [
        {"start": f"{2022 + i}-01-01", "months": months, "premium": money(fen)}
        for i, (months, fen) in enumerate(periods)
    ]
    return case(
        prefix, {"recognitions": ["provincial"], "insured_amount": money(insured_fen), "periods": rows}
    )


@SETTINGS
@given(st.sampled_from(["3.2.1-insurance", "3.2.2-insurance"]), FEN, st.lists(PERIOD, min_size=1, max_size=5))
def test_insurance_equals_the_formula_and_stays_within_its_bounds(prefix, insured, periods):
    result = run(insurance_case(prefix, insured, periods))
    amount = int(result["amount"])
    assert amount == reference_insurance(prefix, insured, periods)
    subsidy = value(f"{prefix}.subsidy_rate")
    term = value(f"{prefix}.term_months")
    assert amount <= subsidy * sum(Decimal(fen) for _, fen in periods) / 100
    assert amount <= subsidy * value(f"{prefix}.premium_rate_cap") * Decimal(insured) / 100 * term / 12
    assert ("term_limit" in result["limits_applied"]) == (sum(m for m, _ in periods) > term)
    # The explanation's exact total truncates to the same amount.
    assert f"{amount:,} 元" in result["explanation"][-2] + result["explanation"][-1]


@SETTINGS
@given(st.lists(PERIOD, min_size=1, max_size=4), FEN, st.integers(0, 3), st.integers(0, 10**8))
def test_insurance_never_falls_when_a_premium_grows(periods, insured, index, extra):
    index = index % len(periods)
    more = list(periods)
    more[index] = (more[index][0], more[index][1] + extra)
    a = int(run(insurance_case("3.2.1-insurance", insured, periods))["amount"])
    b = int(run(insurance_case("3.2.1-insurance", insured, more))["amount"])
    assert a <= b


PRODUCT = st.tuples(st.sampled_from([["national"], ["provincial"], ["national", "provincial"], []]), FEN)


def award_case(products: list[tuple[list[str], int]]) -> dict:
    rows = [
        {"name": f"产品{i}", "recognitions": rec, "sales_invoice_amount": money(fen)}
        for i, (rec, fen) in enumerate(products)
    ]
    return case("3.2.1-award", {"products": rows})


@SETTINGS
@given(st.lists(PRODUCT, min_size=1, max_size=4), st.integers(0, 3), st.integers(0, 10**10))
def test_equipment_award_caps_and_growth(products, index, extra):
    result = run(award_case(products))
    amount = int(result["amount"])
    rate = value("3.2.1-award.rate")
    assert amount <= value("3.2.1-award.enterprise_annual_cap")
    assert amount <= sum(rate * Decimal(fen) / 100 for rec, fen in products if rec)
    for component in result["components"]:
        assert int(component["amount"]) <= Decimal(component["cap"])
    index = index % len(products)
    more = list(products)
    more[index] = (more[index][0], more[index][1] + extra)
    assert amount <= int(run(award_case(more))["amount"])


@SETTINGS
@given(st.lists(st.tuples(st.integers(-40, 420), FEN), max_size=6), st.integers(-40, 420), FEN)
def test_software_award_never_falls_with_one_more_invoice(invoices, day, fen):
    from datetime import date, timedelta

    start = date(2024, 2, 29)

    def award(rows: list[tuple[int, int]]) -> int:
        product = {
            "name": "软件",
            "recognized_on": start.isoformat(),
            "invoices": [
                {"date": (start + timedelta(days=d)).isoformat(), "amount": money(f)} for d, f in rows
            ],
        }
        result = run(case("3.2.2-award", {"products": [product]}, as_of="2025-06-01"))
        amount = int(result["amount"])
        assert amount <= value("3.2.2-award.product_cap")
        in_window = sum(f for d, f in rows if 0 <= d <= 365)  # [2024-02-29, 2025-03-01)
        assert amount <= value("3.2.2-award.rate") * Decimal(in_window) / 100
        return amount

    assert award(invoices) <= award([*invoices, (day, fen)])


@SETTINGS
@given(FEN, FEN)
def test_explanation_does_not_change_the_numbers(a, b):
    body = {
        "cases": [
            case(
                "3.3.1-provincial",
                {"level": "provincial", "equipment_investment": money(a), "service_revenue": money(b)},
            )
        ]
    }
    with_text = evaluate_request(body)["results"][0]
    without = evaluate_request({**body, "explain": False})["results"][0]
    assert {k: v for k, v in with_text.items() if k != "explanation"} == without
    assert int(without["amount"]) <= value("3.3.1-provincial.equipment_cap") + value(
        "3.3.1-provincial.service_cap"
    )
