"""Every clause at its boundaries: thresholds met and missed by a fen, caps reached and passed,
qualifications on their first and last day, invoice windows, insurance terms, every reason code."""

from __future__ import annotations

import pytest

from jigai.policy import REASON_LABELS
from jigai.policy.tests.helpers import case, qual, run

INV = {"project_type": "intelligent"}


def inv(equipment: str, software: str = "0", **extra) -> dict:
    return {"equipment_investment": equipment, "software_investment": software, **extra}


def periods(*rows: tuple[str, int, str]) -> list[dict]:
    return [{"start": s, "months": m, "premium": p} for s, m, p in rows]


def product_321(name: str, recognitions: list[str], amount: str) -> dict:
    return {"name": name, "recognitions": recognitions, "sales_invoice_amount": amount}


def software(recognized_on: str, *invoices: tuple[str, str], name: str = "软件") -> dict:
    return {
        "name": name,
        "recognized_on": recognized_on,
        "invoices": [{"date": d, "amount": a} for d, a in invoices],
    }


LG = [qual("leading_goose", "2022-03-01", "2022-12-31")]
LITTLE = [qual("national_little_giant", "2022-03-01", "2022-12-31")]

# (label, item, facts, case keywords, eligible, amount, reasons, limits)
TABLE = [
    # 三（一）1 技术改造示范项目
    ("3.1.1 threshold met exactly", "3.1.1", inv("9000000", "1000000", **INV), {}, True, "3000000", [], []),
    (
        "3.1.1 threshold missed by 0.01",
        "3.1.1",
        inv("9000000", "999999.99", **INV),
        {},
        False,
        "0",
        ["BELOW_THRESHOLD"],
        [],
    ),
    ("3.1.1 high_end", "3.1.1", inv("10000000", project_type="high_end"), {}, True, "3000000", [], []),
    ("3.1.1 green", "3.1.1", inv("10000000", project_type="green"), {}, True, "3000000", [], []),
    (
        "3.1.1 service not covered",
        "3.1.1",
        inv("10000000", project_type="service"),
        {},
        False,
        "0",
        ["PROJECT_TYPE_NOT_COVERED"],
        [],
    ),
    (
        "3.1.1 service and below",
        "3.1.1",
        inv("1", project_type="service"),
        {},
        False,
        "0",
        ["PROJECT_TYPE_NOT_COVERED", "BELOW_THRESHOLD"],
        [],
    ),
    ("3.1.1 just under the cap", "3.1.1", inv("33333333.33", **INV), {}, True, "9999999", [], []),
    ("3.1.1 just over the cap", "3.1.1", inv("33333333.34", **INV), {}, True, "10000000", [], ["item_cap"]),
    ("3.1.1 truncation of fen", "3.1.1", inv("10000000.03", **INV), {}, True, "3000000", [], []),
    # 三（一）2 头雁
    (
        "3.1.2 first valid day",
        "3.1.2",
        inv("1000000"),
        {"as_of": "2022-03-01", "qualifications": LG},
        True,
        "300000",
        [],
        [],
    ),
    (
        "3.1.2 last valid day",
        "3.1.2",
        inv("1000000"),
        {"as_of": "2022-12-31", "qualifications": LG},
        True,
        "300000",
        [],
        [],
    ),
    (
        "3.1.2 day before",
        "3.1.2",
        inv("1000000"),
        {"as_of": "2022-02-28", "qualifications": LG},
        False,
        "0",
        ["QUALIFICATION_MISSING"],
        [],
    ),
    (
        "3.1.2 day after",
        "3.1.2",
        inv("1000000"),
        {"as_of": "2023-01-01", "qualifications": LG},
        False,
        "0",
        ["QUALIFICATION_MISSING"],
        [],
    ),
    (
        "3.1.2 other qualification only",
        "3.1.2",
        inv("1000000"),
        {"qualifications": LITTLE},
        False,
        "0",
        ["QUALIFICATION_MISSING"],
        [],
    ),
    ("3.1.2 no threshold", "3.1.2", inv("0", "0.01"), {"qualifications": LG}, True, "0", [], []),
    (
        "3.1.2 just under the cap",
        "3.1.2",
        inv("66666666.66"),
        {"qualifications": LG},
        True,
        "19999999",
        [],
        [],
    ),
    (
        "3.1.2 just over the cap",
        "3.1.2",
        inv("66666666.67"),
        {"qualifications": LG},
        True,
        "20000000",
        [],
        ["item_cap"],
    ),
    # 三（一）3 小巨人
    (
        "3.1.3 first valid day",
        "3.1.3",
        inv("1000000"),
        {"as_of": "2022-03-01", "qualifications": LITTLE},
        True,
        "300000",
        [],
        [],
    ),
    (
        "3.1.3 last valid day",
        "3.1.3",
        inv("1000000"),
        {"as_of": "2022-12-31", "qualifications": LITTLE},
        True,
        "300000",
        [],
        [],
    ),
    (
        "3.1.3 day after",
        "3.1.3",
        inv("1000000"),
        {"as_of": "2023-01-01", "qualifications": LITTLE},
        False,
        "0",
        ["QUALIFICATION_MISSING"],
        [],
    ),
    (
        "3.1.3 day before",
        "3.1.3",
        inv("1000000"),
        {"as_of": "2022-02-28", "qualifications": LITTLE},
        False,
        "0",
        ["QUALIFICATION_MISSING"],
        [],
    ),
    (
        "3.1.3 two periods, second valid",
        "3.1.3",
        inv("1000000"),
        {"qualifications": [qual("national_little_giant", "2019-01-01", "2021-12-31"), *LITTLE]},
        True,
        "300000",
        [],
        [],
    ),
    (
        "3.1.3 provincial specialized is not enough",
        "3.1.3",
        inv("1000000"),
        {"qualifications": [qual("provincial_specialized", "2022-01-01", "2022-12-31")]},
        False,
        "0",
        ["QUALIFICATION_MISSING"],
        [],
    ),
    (
        "3.1.3 over the cap",
        "3.1.3",
        inv("16666666.67"),
        {"qualifications": LITTLE},
        True,
        "5000000",
        [],
        ["item_cap"],
    ),
    ("3.1.3 under the cap", "3.1.3", inv("16666666.66"), {"qualifications": LITTLE}, True, "4999999", [], []),
    # 三（一）4 机器换人
    (
        "3.1.4 under the cap",
        "3.1.4",
        {"machine_purchase_investment": "16666666.66"},
        {},
        True,
        "4999999",
        [],
        [],
    ),
    (
        "3.1.4 over the cap",
        "3.1.4",
        {"machine_purchase_investment": "16666666.67"},
        {},
        True,
        "5000000",
        [],
        ["item_cap"],
    ),
    ("3.1.4 zero", "3.1.4", {"machine_purchase_investment": "0"}, {}, True, "0", [], []),
    # 三（二）1 首台（套）保费
    (
        "3.2.1-insurance term exactly 36 months",
        "3.2.1-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 12, "100000"), ("2023-01-01", 24, "200000")),
        },
        {},
        True,
        "240000",
        [],
        [],
    ),
    (
        "3.2.1-insurance term cuts the last month",
        "3.2.1-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 12, "120000"), ("2023-01-01", 25, "250000")),
        },
        {},
        True,
        "288000",
        [],
        ["term_limit"],
    ),
    (
        "3.2.1-insurance period beyond the term",
        "3.2.1-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 36, "300000"), ("2025-01-01", 12, "100000")),
        },
        {},
        True,
        "240000",
        [],
        ["term_limit"],
    ),
    (
        "3.2.1-insurance premium rate exactly 3%",
        "3.2.1-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 12, "300000")),
        },
        {},
        True,
        "240000",
        [],
        [],
    ),
    (
        "3.2.1-insurance premium rate above 3% by a fen",
        "3.2.1-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 12, "300000.01")),
        },
        {},
        True,
        "240000",
        [],
        [],
    ),
    (
        "3.2.1-insurance truncated once at the end",
        "3.2.1-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 3, "1000.63"), ("2022-04-01", 3, "1000.63")),
        },
        {},
        True,
        "1601",
        [],
        [],
    ),
    (
        "3.2.1-insurance national only",
        "3.2.1-insurance",
        {
            "recognitions": ["national"],
            "insured_amount": "10000000",
            "periods": periods(("2022-01-01", 12, "100000")),
        },
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    # 三（二）1 首台（套）奖励
    (
        "3.2.1-award national exactly at cap",
        "3.2.1-award",
        {"products": [product_321("甲", ["national"], "100000000")]},
        {},
        True,
        "5000000",
        [],
        [],
    ),
    (
        "3.2.1-award national over by a fen",
        "3.2.1-award",
        {"products": [product_321("甲", ["national"], "100000000.01")]},
        {},
        True,
        "5000000",
        [],
        ["item_cap"],
    ),
    (
        "3.2.1-award provincial exactly at cap",
        "3.2.1-award",
        {"products": [product_321("乙", ["provincial"], "60000000")]},
        {},
        True,
        "3000000",
        [],
        [],
    ),
    (
        "3.2.1-award provincial over",
        "3.2.1-award",
        {"products": [product_321("乙", ["provincial"], "60000000.01")]},
        {},
        True,
        "3000000",
        [],
        ["item_cap"],
    ),
    (
        "3.2.1-award both takes national",
        "3.2.1-award",
        {"products": [product_321("丙", ["provincial", "national"], "80000000")]},
        {},
        True,
        "4000000",
        [],
        [],
    ),
    (
        "3.2.1-award enterprise cap reached exactly",
        "3.2.1-award",
        {
            "products": [
                product_321("甲", ["national"], "60000000"),
                product_321("乙", ["provincial"], "40000000"),
            ]
        },
        {},
        True,
        "5000000",
        [],
        [],
    ),
    (
        "3.2.1-award enterprise cap passed",
        "3.2.1-award",
        {
            "products": [
                product_321("甲", ["national"], "60000000"),
                product_321("乙", ["provincial"], "40000020"),
            ]
        },
        {},
        True,
        "5000000",
        [],
        ["enterprise_annual_cap"],
    ),
    (
        "3.2.1-award nothing left of the enterprise's annual cap",
        "3.2.1-award",
        {"products": [product_321("甲", ["national"], "1000000")]},
        {"annual_cap_used": "5000000"},
        False,
        "0",
        ["ANNUAL_CAP_REACHED"],
        [],
    ),
    (
        "3.2.1-award unrecognized product ignored",
        "3.2.1-award",
        {"products": [product_321("甲", [], "60000000"), product_321("乙", ["provincial"], "1000000")]},
        {},
        True,
        "50000",
        [],
        [],
    ),
    (
        "3.2.1-award nothing recognized",
        "3.2.1-award",
        {"products": [product_321("甲", [], "60000000")]},
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    (
        "3.2.1-award outside Henan",
        "3.2.1-award",
        {"products": [product_321("甲", ["national"], "1000000")]},
        {"in_henan": False},
        False,
        "0",
        ["NOT_IN_HENAN"],
        [],
    ),
    # 三（二）2 首版次软件
    (
        "3.2.2-insurance term 12 months",
        "3.2.2-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "1000000",
            "periods": periods(("2022-01-01", 12, "20000")),
        },
        {},
        True,
        "16000",
        [],
        [],
    ),
    (
        "3.2.2-insurance term cuts",
        "3.2.2-insurance",
        {
            "recognitions": ["provincial"],
            "insured_amount": "1000000",
            "periods": periods(("2022-01-01", 13, "26000")),
        },
        {},
        True,
        "19200",
        [],
        ["term_limit"],
    ),
    (
        "3.2.2-insurance not recognized",
        "3.2.2-insurance",
        {"recognitions": [], "insured_amount": "1000000", "periods": periods(("2022-01-01", 12, "20000"))},
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    (
        "3.2.2-award window edges",
        "3.2.2-award",
        {
            "products": [
                software(
                    "2022-03-15",
                    ("2022-03-14", "1"),
                    ("2022-03-15", "100"),
                    ("2023-03-14", "200"),
                    ("2023-03-15", "400"),
                )
            ]
        },
        {"as_of": "2023-04-01"},
        True,
        "60",
        [],
        [],
    ),
    (
        "3.2.2-award 29 February: 28 February next year is inside",
        "3.2.2-award",
        {
            "products": [
                software(
                    "2024-02-29",
                    ("2024-02-28", "1000"),
                    ("2024-02-29", "100"),
                    ("2025-02-28", "200"),
                    ("2025-03-01", "400"),
                )
            ]
        },
        {"as_of": "2025-04-01"},
        True,
        "60",
        [],
        [],
    ),
    (
        "3.2.2-award product cap exactly",
        "3.2.2-award",
        {"products": [software("2022-03-15", ("2022-06-01", "10000000"))]},
        {"as_of": "2023-04-01"},
        True,
        "2000000",
        [],
        [],
    ),
    (
        "3.2.2-award product cap passed",
        "3.2.2-award",
        {"products": [software("2022-03-15", ("2022-06-01", "10000000.01"))]},
        {"as_of": "2023-04-01"},
        True,
        "2000000",
        [],
        ["item_cap"],
    ),
    (
        "3.2.2-award enterprise cap",
        "3.2.2-award",
        {"products": [software("2022-03-15", ("2022-06-01", "10000000"), name=f"软件{i}") for i in range(3)]},
        {"as_of": "2023-04-01"},
        True,
        "5000000",
        [],
        ["enterprise_annual_cap"],
    ),
    (
        "3.2.2-award recognized after as_of",
        "3.2.2-award",
        {"products": [software("2023-04-02", ("2023-05-01", "100"))]},
        {"as_of": "2023-04-01"},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    (
        "3.2.2-award recognized on as_of",
        "3.2.2-award",
        {"products": [software("2023-04-01", ("2023-04-01", "100"))]},
        {"as_of": "2023-04-01"},
        True,
        "20",
        [],
        [],
    ),
    (
        "3.2.2-award outside Henan",
        "3.2.2-award",
        {"products": [software("2022-03-15", ("2022-06-01", "100"))]},
        {"in_henan": False},
        False,
        "0",
        ["NOT_IN_HENAN"],
        [],
    ),
    # 三（三）1 创新中心
    (
        "3.3.1-cultivation",
        "3.3.1-cultivation",
        {"on_cultivation_list": True, "completed": True, "rd_pilot_equipment_investment": "10000000"},
        {},
        True,
        "3000000",
        [],
        [],
    ),
    (
        "3.3.1-cultivation over the cap",
        "3.3.1-cultivation",
        {"on_cultivation_list": True, "completed": True, "rd_pilot_equipment_investment": "16666666.67"},
        {},
        True,
        "5000000",
        [],
        ["item_cap"],
    ),
    (
        "3.3.1-cultivation not listed",
        "3.3.1-cultivation",
        {"on_cultivation_list": False, "completed": True, "rd_pilot_equipment_investment": "1"},
        {},
        False,
        "0",
        ["NOT_LISTED"],
        [],
    ),
    (
        "3.3.1-cultivation not completed",
        "3.3.1-cultivation",
        {"on_cultivation_list": True, "completed": False, "rd_pilot_equipment_investment": "1"},
        {},
        False,
        "0",
        ["NOT_COMPLETED"],
        [],
    ),
    (
        "3.3.1-provincial both components capped",
        "3.3.1-provincial",
        {"level": "provincial", "equipment_investment": "20000000", "service_revenue": "100000000.01"},
        {},
        True,
        "10000000",
        [],
        ["item_cap"],
    ),
    (
        "3.3.1-provincial service exactly at cap",
        "3.3.1-provincial",
        {"level": "provincial", "equipment_investment": "0", "service_revenue": "100000000"},
        {},
        True,
        "5000000",
        [],
        [],
    ),
    (
        "3.3.1-provincial not a centre",
        "3.3.1-provincial",
        {"level": "none", "equipment_investment": "1", "service_revenue": "1"},
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    (
        "3.3.1-national-promotion",
        "3.3.1-national-promotion",
        {"level": "provincial", "promoted_to_national": True},
        {},
        True,
        "30000000",
        [],
        [],
    ),
    (
        "3.3.1-national-promotion branch",
        "3.3.1-national-promotion",
        {"level": "national_branch", "promoted_to_national": True},
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    (
        "3.3.1-national-promotion not promoted",
        "3.3.1-national-promotion",
        {"level": "provincial", "promoted_to_national": False},
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    # 三（三）2 工业互联网平台
    ("3.3.2 recognized", "3.3.2", {"status": "recognized"}, {}, True, "5000000", [], []),
    ("3.3.2 none", "3.3.2", {"status": "none", "accepted": False}, {}, False, "0", ["NOT_LISTED"], []),
    # 三（三）3 中小企业公共服务平台
    ("3.3.3 first", "3.3.3", {"level": "national", "assessment_rank": 1}, {}, True, "500000", [], []),
    ("3.3.3 third", "3.3.3", {"level": "provincial", "assessment_rank": 3}, {}, True, "100000", [], []),
    (
        "3.3.3 municipal",
        "3.3.3",
        {"level": "municipal", "assessment_rank": 1},
        {},
        False,
        "0",
        ["NOT_LISTED"],
        [],
    ),
    (
        "3.3.3 no rank",
        "3.3.3",
        {"level": "provincial", "assessment_rank": None},
        {},
        False,
        "0",
        ["NOT_RANKED"],
        [],
    ),
    (
        "3.3.3 neither",
        "3.3.3",
        {"level": "municipal", "assessment_rank": None},
        {},
        False,
        "0",
        ["NOT_LISTED", "NOT_RANKED"],
        [],
    ),
    # 三（四）试点示范
    (
        "3.4.1 state council",
        "3.4.1",
        {"title": "green_factory", "awarded_by": "state_council"},
        {},
        True,
        "1000000",
        [],
        [],
    ),
    (
        "3.4.1 other body",
        "3.4.1",
        {"title": "green_factory", "awarded_by": "other"},
        {},
        False,
        "0",
        ["TITLE_NOT_LISTED"],
        [],
    ),
    (
        "3.4.1 unlisted title",
        "3.4.1",
        {"title": "famous_brand", "awarded_by": "miit"},
        {},
        False,
        "0",
        ["TITLE_NOT_LISTED"],
        [],
    ),
    (
        "3.4.1 title of 3.4.2",
        "3.4.1",
        {"title": "green_industrial_park", "awarded_by": "miit"},
        {},
        False,
        "0",
        ["TITLE_NOT_LISTED"],
        [],
    ),
    (
        "3.4.2 base",
        "3.4.2",
        {"title": "new_industrialization_base", "awarded_by": "miit"},
        {},
        True,
        "2000000",
        [],
        [],
    ),
    (
        "3.4.2 park",
        "3.4.2",
        {"title": "green_industrial_park", "awarded_by": "state_council"},
        {},
        True,
        "2000000",
        [],
        [],
    ),
    (
        "3.4.2 title of 3.4.1",
        "3.4.2",
        {"title": "green_factory", "awarded_by": "miit"},
        {},
        False,
        "0",
        ["TITLE_NOT_LISTED"],
        [],
    ),
    ("3.4.3 recognized", "3.4.3", {"provincially_recognized": True}, {}, True, "500000", [], []),
    (
        "3.4.3 not recognized",
        "3.4.3",
        {"provincially_recognized": False},
        {},
        False,
        "0",
        ["NOT_RECOGNIZED"],
        [],
    ),
    # 三（末段）
    (
        "already supported",
        "3.4.3",
        {"provincially_recognized": True},
        {"other": True},
        False,
        "0",
        ["ALREADY_SUPPORTED"],
        [],
    ),
    (
        "already supported and not recognized",
        "3.4.3",
        {"provincially_recognized": False},
        {"other": True},
        False,
        "0",
        ["NOT_RECOGNIZED", "ALREADY_SUPPORTED"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("item", "facts", "kw", "eligible", "amount", "reasons", "limits"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_clause(item, facts, kw, eligible, amount, reasons, limits):
    result = run(case(item, facts, **kw))
    assert "error" not in result, result
    assert result["eligible"] is eligible
    assert result["amount"] == amount
    assert result["reasons"] == reasons
    assert result["limits_applied"] == limits
    if eligible:
        assert sum(int(s["amount"]) for s in result["schedule"]) == int(amount)
        assert all(r in REASON_LABELS for r in result["reasons"])
    else:
        assert result["schedule"] == []
        assert result["components"] == []
    # Each step of the explanation names a clause of section 三.
    assert result["explanation"]
    assert all(line.startswith("三（") for line in result["explanation"])


def test_every_reason_code_is_exercised():
    seen = {r for row in TABLE for r in row[6]} | {"ONE_PER_YEAR"}  # ONE_PER_YEAR: test_cross_rules
    assert seen == set(REASON_LABELS)


def test_insurance_e07_explanation_lets_a_person_redo_the_sum():
    facts = {
        "recognitions": ["provincial"],
        "insured_amount": "20000000",
        "periods": periods(
            ("2022-01-01", 12, "700000"), ("2023-01-01", 12, "500000"), ("2024-01-01", 24, "900000")
        ),
    }
    text = "\n".join(run(case("3.2.1-insurance", facts))["explanation"])
    for figure in ("480,000 元", "400,000 元", "360,000 元", "1,240,000 元", "计入 12/24 个月", "36 个月"):
        assert figure in text


def test_cultivated_platform_is_paid_40_then_60():
    result = run(case("3.3.2", {"status": "cultivation", "accepted": True}))
    assert result["schedule"] == [
        {"stage": "at_listing", "amount": "2000000"},
        {"stage": "after_acceptance", "amount": "3000000"},
    ]
    assert "已通过验收" in result["explanation"][-1]


def test_components_show_base_rate_and_cap():
    result = run(case("3.1.1", inv("9000000", "3000000", **INV)))
    assert result["components"] == [
        {
            "name": "设备、软件投资补助",
            "base": "12000000",
            "rate": "0.30",
            "cap": "10000000",
            "amount": "3600000",
        }
    ]
    assert result["citations"] == ["三（一）1"]
    assert result["schedule"] == [{"stage": "on_approval", "amount": "3600000"}]


def test_29_february_rule_is_a_parameter():
    facts = {"products": [software("2024-02-29", ("2025-02-28", "200"))]}
    inside = run(case("3.2.2-award", facts, as_of="2025-04-01"))
    assert inside["amount"] == "40"
    assert any("2025-03-01" in line for line in inside["explanation"])
    outside = run(
        case("3.2.2-award", facts, as_of="2025-04-01"),
        overrides={"3.2.2-award.window_no_corresponding_day": "month_end_exclusive"},
        round_year=2025,
    )
    assert outside["amount"] == "0"
    assert outside["eligible"] is True
