import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from jigai.registry.uscc import ALPHABET, check_character, is_valid_uscc, validate_uscc


@pytest.mark.parametrize("code", ["91410100MAEUHUXQ71", "91110000600037341L", "91410600MA1KCYEL68"])
def test_valid_digit_first_codes(code):
    assert validate_uscc(code) == code


@pytest.mark.parametrize("first", ["A", "N", "Y"])
def test_letter_first_code_is_accepted_although_stdnum_refuses_it(first):
    body = f"{first}1410100MA9XYW12K"
    code = body + check_character(body)
    assert not stdnum_uscc.is_valid(code)  # the library's known gap (design.md)
    assert validate_uscc(code) == code


def test_letter_first_code_with_wrong_check_character_is_refused():
    body = "N2410100MA9XYW12K"
    good = check_character(body)
    bad = next(c for c in ALPHABET if c != good)
    with pytest.raises(ValidationError) as e:
        validate_uscc(body + bad)
    assert "校验位" in e.value.messages[0]


@pytest.mark.parametrize(
    "code, words",
    [
        ("91410100MAEUHUXQ7", "18 位"),
        ("91410100MAEUHUXQ72", "校验位"),
        ("9141010OMAEUHUXQ71", "格式"),  # letter O inside the digits
        ("B1410100MAEUHUXQ71", "格式"),  # B is not a registration authority
    ],
)
def test_invalid_codes_get_a_chinese_reason(code, words):
    with pytest.raises(ValidationError) as e:
        validate_uscc(code)
    assert words in e.value.messages[0]


def test_code_is_normalised():
    assert validate_uscc(" 91410100maeuhuxq71 ") == "91410100MAEUHUXQ71"


@given(
    first=st.sampled_from("123456789ANY"),
    kind=st.sampled_from("123459"),
    rest=st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)
def test_any_code_with_the_computed_check_character_is_valid(first, kind, rest):
    body = f"{first}{kind}410100{rest}"
    code = body + check_character(body)
    assert is_valid_uscc(code)
    wrong = next(c for c in ALPHABET if c != code[-1])
    assert not is_valid_uscc(body + wrong)


@given(body=st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_registry_and_calculator_agree_on_the_check_character(body):
    from jigai.policy.values import uscc_check_char

    assert check_character(body) == uscc_check_char(body)
