"""Cell parsers and header detection: pure, table-driven."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jingzhun.students.intake import parsers as p
from jingzhun.students.intake.headers import detect_header, normalise_header
from jingzhun.students.intake.kinds import KINDS, STUDENTS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-09-01", dt.date(2025, 9, 1)),
        ("2025/9/1", dt.date(2025, 9, 1)),
        ("2025.9.1", dt.date(2025, 9, 1)),
        ("2025年9月1日", dt.date(2025, 9, 1)),
        ("20250901", dt.date(2025, 9, 1)),
        ("2025-09", dt.date(2025, 9, 1)),
        ("45901", dt.date(2025, 9, 1)),  # Excel serial
        ("2025-09-01 08:30:00", dt.date(2025, 9, 1)),
    ],
)
def test_dates(raw, expected):
    assert p.date(raw) == expected


@pytest.mark.parametrize("raw", ["2025-02-30", "next week", "123", "²", "²²²²²", "9" * 40])
def test_bad_dates(raw):
    with pytest.raises(p.CellError):
        p.date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-2025-1", "2024-2025-1"),
        ("2024-2025学年第一学期", "2024-2025-1"),
        ("2024-2025学年第二学期", "2024-2025-2"),
        ("2024—2025-2", "2024-2025-2"),
    ],
)
def test_terms(raw, expected):
    assert p.term(raw) == expected


@pytest.mark.parametrize("raw", ["2024-2026-1", "2024-2025-3", "第一学期"])
def test_bad_terms(raw):
    with pytest.raises(p.CellError):
        p.term(raw)


def test_id_number_lost_to_excel_number_format_is_explained():
    with pytest.raises(p.CellError, match="存成了数字"):
        p.id_number("4.10102200503171E+17")


def test_student_number_keeps_text_and_rejects_scientific():
    assert p.student_number("'2024010001") == "2024010001"
    with pytest.raises(p.CellError, match="科学计数法"):
        p.student_number("2.02401E+9")


@pytest.mark.parametrize(
    ("parser", "raw", "expected"),
    [
        (p.integer(0, 10), "3", 3),
        (p.integer(0, 10), "3.0", 3),
        (p.decimal(3, 2, maximum=Decimal(5)), "3.456", Decimal("3.46")),
        (p.decimal(10, 2), "1,234.5元", Decimal("1234.50")),
        (p.boolean, "是", True),
        (p.boolean, "否", False),
        (p.academic_year, "2025-2026学年", "2025-2026"),
        (p.academic_year, "2025", "2025-2026"),
        (p.year, "2024级", 2024),
    ],
)
def test_typed_values(parser, raw, expected):
    assert parser(raw) == expected


@pytest.mark.parametrize(
    ("parser", "raw", "message"),
    [
        (p.integer(0, 10), "3.5", "不是整数"),
        (p.integer(0, 10), "11", "应在 0 到 10 之间"),
        (p.decimal(3, 2, maximum=Decimal(5)), "5.5", "应在 0 到 5 之间"),
        (p.boolean, "maybe", "应为 是 或 否"),
        (p.phone, "0371-1234", "不是有效的手机号码"),
        (p.email, "zhang@", "不是有效的电子邮箱"),
    ],
)
def test_typed_errors(parser, raw, message):
    with pytest.raises(p.CellError, match=message):
        parser(raw)


def test_choices_accept_labels_and_values():
    gender = STUDENTS.by_name["gender"].parser
    assert [gender(v) for v in ("男", "女", "M", "f", "1", "2")] == ["M", "F", "M", "F", "M", "F"]
    ethnicity = STUDENTS.by_name["ethnicity"].parser
    assert [ethnicity(v) for v in ("汉族", "汉", "01", "维吾尔族", "维吾尔")] == [
        "01",
        "01",
        "01",
        "05",
        "05",
    ]
    level = KINDS["economic_status"].by_name["level"].parser
    assert [level(v) for v in ("特别困难", "困难", "一般困难", "不困难")] == [
        "special",
        "difficult",
        "somewhat",
        "none",
    ]
    with pytest.raises(p.CellError, match="不是有效的性别"):
        gender("未知")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("* 学 号（必填）", "学号"),
        ("身份证号码(18位)", "身份证号码"),
        ("ＥＭＡＩＬ", "email"),
        ("姓名：", "姓名"),
    ],
)
def test_normalise_header(header, expected):
    assert normalise_header(header) == expected


def test_header_found_below_a_merged_title_row():
    rows = [
        ["信息工程学院2024级学生花名册"],
        ["导出时间：2025-10-01"],
        ["序号", "学号", "姓名 ", "性别", "班级", "身份证号码", "联系电话", "家长电话"],
        ["1", "2024010001", "张三", "男", "计应2401", "x", "138", "139"],
    ]
    guess = detect_header(rows, STUDENTS)
    assert guess.row == 2
    # the second phone column (家长电话) is not a synonym; 联系电话 maps to phone once
    assert guess.mapping == {
        1: "student_number",
        2: "name",
        3: "gender",
        4: "class_name",
        5: "id_number",
        6: "phone",
    }


def test_saved_mapping_wins_over_synonyms():
    rows = [["XH", "XM", "BJ", "XB"]]
    saved = {"XH": "student_number", "XM": "name", "BJ": "class_name", "XB": "gender"}
    assert detect_header(rows, STUDENTS, saved).mapping == {
        0: "student_number",
        1: "name",
        2: "class_name",
        3: "gender",
    }


@pytest.mark.parametrize(
    ("parser", "raw", "message"),
    [
        (p.decimal(10, 2), "1" + "0" * 30, "数值过大"),
        (p.decimal(4, 2), "1e308", "数值过大"),
        (p.decimal(4, 2), "99.999", "数值过大"),
        (p.integer(0, 100), "1e30", "应在 0 到 100 之间"),
        (p.integer(0, 100), "9" * 400, "应在 0 到 100 之间"),
        (p.year, "²⁰²⁴", "“²⁰²⁴”不是年份"),
        (p.region_code, "41132٨", "行政区划代码应为 6 位数字"),
    ],
)
def test_values_that_once_raised_are_cell_errors(parser, raw, message):
    """Found by fuzzing the API: each used to escape as an exception (a server error)."""
    with pytest.raises(p.CellError) as exc:
        parser(raw)
    assert str(exc.value) == message


def test_full_width_region_codes_are_read():
    assert p.region_code("４１１３２８") == "411328"
