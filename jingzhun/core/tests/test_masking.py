import pytest

from jingzhun.core.masking import mask_email, mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11010519491231002X", "110***********002X"),
        ("410102200503171233", "410***********1233"),
        ("", ""),
        (None, ""),
        ("12345", "*****"),
    ],
)
def test_mask_id_number(value, expected):
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("13812345678", "138****5678"), ("", ""), ("1234567", "*******")],
)
def test_mask_phone(value, expected):
    assert mask_phone(value) == expected


def test_mask_email():
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"
    assert mask_email("") == ""
