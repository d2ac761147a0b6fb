from datetime import date

import pytest

from jingzhun.core.idcard import (
    InvalidIdNumber,
    check_character,
    is_mobile,
    normalise_id_number,
    normalise_phone,
    parse_id_number,
)

# 11010519491231002 is the worked example of GB 11643-1999 (check character X).
VALID = "11010519491231002X"


def test_standard_example_check_character():
    assert check_character("11010519491231002") == "X"


def test_parse_valid_number():
    info = parse_id_number(VALID)
    assert info.region_code == "110105"
    assert info.birth_date == date(1949, 12, 31)
    assert info.is_male is False  # sequence 002 is even


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 11010519491231002x ", VALID),
        ("'11010519491231002X", VALID),
        ("110105 19491231 002X", VALID),
        (None, ""),
    ],
)
def test_normalise_id_number(raw, expected):
    assert normalise_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1101051949123100", "format"),  # 16 digits
        ("1.10105194912E+17", "format"),  # what Excel makes of a number cell
        ("11010519491231002A", "format"),
        ("99010519491231002X", "region"),  # no province 99
        ("11000019491231002X", "region"),  # missing prefecture level
        ("11010519490231002X", "birth_date"),  # 31 February
        ("11010530000101002X", "birth_date"),  # in the future
        ("110105194912310021", "checksum"),
    ],
)
def test_invalid_numbers_report_which_part(raw, code):
    with pytest.raises(InvalidIdNumber) as exc:
        parse_id_number(raw, today=date(2026, 11, 26))
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("raw", "expected", "mobile"),
    [
        ("138 1234 5678", "13812345678", True),
        ("138-1234-5678", "13812345678", True),
        ("+86 138 1234 5678", "13812345678", True),
        ("008613812345678", "13812345678", True),
        ("8613812345678", "13812345678", True),
        ("0371-6789 1234", "037167891234", False),
        ("12812345678", "12812345678", False),
    ],
)
def test_normalise_phone(raw, expected, mobile):
    phone = normalise_phone(raw)
    assert phone == expected
    assert is_mobile(phone) is mobile
