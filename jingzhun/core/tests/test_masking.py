import pytest

from jingzhun.core.masking import (
    mask_email,
    mask_id_number,
    mask_phone,
    mask_region_code,
    region_shown,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "1****************X"),
        ("411328200503179995", "4****************5"),
        ("410102850317123", "4*************3"),  # the 15-digit numbers of before 1999
        ("", ""),
        (None, ""),
        ("12", "**"),
    ],
)
def test_mask_id_number_keeps_the_first_and_last_character(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("13812345678", "138****5678"), ("", ""), ("1234567", "*******")],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("zhangsan@example.cn", "z***@example.cn"), ("13551267268@163.com", "1***@163.com"),
     ("a@b@163.com", "a***@163.com"), ("13551267268", "***********"), ("", ""), (None, "")],
)  # fmt: skip
def test_mask_email_hides_the_local_part(value, expected):
    assert mask_email(value) == expected


@pytest.mark.parametrize(
    ("code", "shown", "masked"),
    [("411328", "河南省南阳市", "4113**"), ("419001", "河南省", "41****"),
     ("110105", "北京市", "11****"), ("341221", "安徽省阜阳市", "3412**"),
     ("652901", "新疆维吾尔自治区阿克苏地区", "6529**"), ("411399", "河南省南阳市", "4113**"),
     ("990101", "", "******"), ("", "", ""), (None, "", "")],
)  # fmt: skip
def test_household_registration_is_shown_by_province_and_prefecture(code, shown, masked):
    assert region_shown(code) == shown
    assert mask_region_code(code) == masked
