"""The national major catalogues as a pure look-up table."""

from __future__ import annotations

import pytest

from jingzhun.org.major_catalogue import (
    catalogue_size,
    major_lookup,
    normalize_code,
    same_category,
    same_class,
)


def test_sizes_match_the_published_catalogues() -> None:
    assert catalogue_size("zhuanke") == 744
    assert catalogue_size("benke") == 883


@pytest.mark.parametrize(
    ("raw", "code", "name", "level", "class_name", "category_name"),
    [
        ("410101", "410101", "种子生产与经营", "zhuanke", "农业类", "农林牧渔大类"),
        ("510201", "510201", "计算机应用技术", "zhuanke", "计算机类", "电子与信息大类"),
        ("010103K", "010103K", "宗教学", "benke", "哲学类", "哲学"),
        ("010103", "010103K", "宗教学", "benke", "哲学类", "哲学"),  # suffix left out
        (" ０１０１０３ｋ ", "010103K", "宗教学", "benke", "哲学类", "哲学"),  # full width
        ("080901", "080901", "计算机科学与技术", "benke", "计算机类", "工学"),
    ],
)
def test_lookup(
    raw: str, code: str, name: str, level: str, class_name: str, category_name: str
) -> None:
    major = major_lookup(raw)
    assert major is not None
    assert (major.code, major.name, major.level) == (code, name, level)
    assert (major.class_code, major.class_name) == (code[:4], class_name)
    assert (major.category_code, major.category_name) == (code[:2], category_name)


@pytest.mark.parametrize("raw", ["999999", "41010", "4101011", "", "abcdef", "010103X"])
def test_unknown_codes(raw: str) -> None:
    assert major_lookup(raw) is None


def test_normalize_code() -> None:
    assert normalize_code(" 080901t ") == "080901T"


@pytest.mark.parametrize(
    ("a", "b", "klass", "category"),
    [
        ("410101", "410102", True, True),  # 农业类
        ("410101", "410201", False, True),  # 农业类 vs 林业类, both 农林牧渔大类
        ("410101", "510201", False, False),
        ("080901", "080902", True, True),
        ("080901", "510201", False, False),  # 本科 and 专科 never share a category
        ("080901", "999999", False, False),
    ],
)
def test_relatedness(a: str, b: str, klass: bool, category: bool) -> None:
    assert same_class(a, b) is klass
    assert same_category(a, b) is category
