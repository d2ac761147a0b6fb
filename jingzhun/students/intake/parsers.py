"""Parse one cell of text into a typed value, or raise CellError with a message for the user.

Messages are Chinese because they are shown (and downloaded) verbatim in the error report
of offices that work in Chinese; codes stay English for the API.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from jingzhun.core.idcard import (
    PROVINCE_CODES,
    InvalidIdNumber,
    is_mobile,
    normalise_phone,
    parse_id_number,
)
from jingzhun.core.regions import PREFECTURE_NAMES, region_place

Parser = Callable[[str], Any]

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_PATTERN = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_TERM = re.compile(
    r"^(\d{4})\s*[-—–~至]\s*(\d{4})\s*(?:学年)?\s*[-—–]?\s*(?:第)?\s*([12一二])\s*(?:学期)?$"
)
_YEAR = re.compile(r"^(\d{4})(?:\s*[-—–~至]\s*(\d{4}))?\s*(?:学年|年度)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMBER = re.compile(r"^[A-Za-z0-9\-]{4,20}$")


class CellError(ValueError):
    pass


def _lost_digits(value: str) -> bool:
    return bool(_SCIENTIFIC.match(value))


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(f"长度不能超过 {max_length} 个字符（当前 {len(value)}）")
        return value

    return parse


def student_number(value: str) -> str:
    value = value.lstrip("'")
    if _lost_digits(value):
        raise CellError("学号被 Excel 存成了科学计数法数字，请将该列设为文本后重新导出")
    if not _NUMBER.match(value):
        raise CellError("学号只能包含字母、数字和连字符，长度 4–20 位")
    return value


def id_number(value: str) -> str:
    if _lost_digits(value.lstrip("'")):
        raise CellError(
            "身份证号被 Excel 存成了数字，末尾几位已丢失；请将该列设为文本格式后重新导出"
        )
    try:
        return parse_id_number(value).number
    except InvalidIdNumber as exc:
        raise CellError(str(exc)) from exc


def phone(value: str) -> str:
    normalised = normalise_phone(value)
    if not is_mobile(normalised):
        raise CellError(f"{value} 不是有效的手机号码")
    return normalised


def email(value: str) -> str:
    if not _EMAIL.match(value):
        raise CellError(f"{value} 不是有效的电子邮箱")
    return value.lower()


def _ascii_digits(value: str) -> bool:
    """`str.isdigit` also accepts "²" and other digits that `int` refuses."""
    return value.isascii() and value.isdigit()


def integer(minimum: int = 0, maximum: int = 2**31 - 1) -> Parser:
    def parse(value: str) -> int:
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation as exc:
            raise CellError(f"“{value}”不是整数") from exc
        if not number.is_finite() or number.adjusted() > 18:
            raise CellError(f"应在 {minimum} 到 {maximum} 之间")
        if number != number.to_integral_value():
            raise CellError(f"“{value}”不是整数")
        if not minimum <= number <= maximum:
            raise CellError(f"应在 {minimum} 到 {maximum} 之间")
        return int(number)

    return parse


def decimal(
    max_digits: int, places: int, minimum: Decimal = Decimal(0), maximum: Decimal | None = None
) -> Parser:
    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value.replace(",", "").rstrip("元"))
        except InvalidOperation as exc:
            raise CellError(f"“{value}”不是数字") from exc
        if not number.is_finite():
            raise CellError(f"“{value}”不是数字")
        if number.adjusted() >= max_digits - places:
            raise CellError("数值过大")
        number = number.quantize(Decimal(1).scaleb(-places))
        if number < minimum or (maximum is not None and number > maximum):
            raise CellError(
                f"应在 {minimum} 到 {maximum} 之间"
                if maximum is not None
                else f"不能小于 {minimum}"
            )
        if len(number.as_tuple().digits) > max_digits:
            raise CellError("数值过大")
        return number

    return parse


def date(value: str) -> dt.date:
    """ISO, 2025/9/1, 2025.9.1, 2025年9月1日, 20250901, 2025-09 (first day) or an Excel serial."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            return _make_date(value, *map(int, match.groups()))
    match = _MONTH_PATTERN.match(value)
    if match:
        return _make_date(value, int(match[1]), int(match[2]), 1)
    if _ascii_digits(value) and 20000 <= int(value) <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise CellError(f"“{value}”不是可识别的日期（例如 2025-09-01）")


def _make_date(raw: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"“{raw}”不是有效日期") from exc


def boolean(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"是", "有", "y", "yes", "true", "1", "√", "相关"}:
        return True
    if lowered in {"否", "无", "n", "no", "false", "0", "×", "不相关"}:
        return False
    raise CellError(f"“{value}”应为 是 或 否")


def choice(options: Mapping[str, str], label: str) -> Parser:
    """Accept a stored value, or any of its labels (Chinese or English, case-insensitive)."""
    lookup = {key.lower(): stored for key, stored in options.items()}

    def parse(value: str) -> str:
        stored = lookup.get(value.lower()) or lookup.get(value.replace(" ", "").lower())
        if stored is None:
            names = sorted({k for k in options if not k.isascii()}) or sorted(options)
            shown = "、".join(names[:8]) + ("等" if len(names) > 8 else "")
            raise CellError(f"“{value}”不是有效的{label}，可选：{shown}")
        return stored

    return parse


def term(value: str) -> str:
    """`2024-2025-1`, `2024-2025学年第一学期`, `2024-2025-2` → `2024-2025-N`."""
    match = _TERM.match(value)
    if not match or int(match[2]) != int(match[1]) + 1:
        raise CellError(f"“{value}”不是有效学期（例如 2024-2025-1）")
    number = {"一": "1", "二": "2"}.get(match[3], match[3])
    return f"{match[1]}-{match[2]}-{number}"


def academic_year(value: str) -> str:
    match = _YEAR.match(value)
    if not match or (match[2] and int(match[2]) != int(match[1]) + 1):
        raise CellError(f"“{value}”不是有效学年（例如 2025-2026）")
    return f"{match[1]}-{int(match[1]) + 1}"


def region_code(value: str) -> str:
    """A six-digit GB/T 2260 code, or a province / prefecture name that names exactly one.

    A 生源地 column holds either; a name is turned into its code (河南省郑州市 → 410100) and
    never stored as such. A county name cannot be resolved (the tables stop at prefectures,
    and rounding it up would silently lose the county), so it is refused with the fix.
    """
    value = unicodedata.normalize("NFKC", value).strip()  # full-width digits from input methods
    if re.fullmatch(r"[0-9]{6}", value):
        return value
    if not re.search(r"[\u4e00-\u9fff]", value):
        raise CellError("行政区划代码应为 6 位数字")
    name = re.sub(r"\s", "", value)
    # The longest province + prefecture name has 19 characters; longer text is no place name
    # (and must not fill the look-up cache).
    codes = place_codes(name) if len(name) <= PLACE_NAME_MAX else ()
    if len(codes) == 1:
        return codes[0]
    if codes:
        names = "、".join("".join(region_place(c)) for c in codes)
        raise CellError(f"“{value}”可能指 {names}，请填写 6 位行政区划代码")
    raise CellError(
        f"“{value}”无法对应到唯一的省或地级市（区县名称无法识别），请填写 6 位行政区划代码"
    )


PLACE_NAME_MAX = 30
_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


def _short(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def _place_index() -> tuple[dict[str, set[str]], dict[str, dict[str, str]]]:
    """Province names (full and short) → codes; per province, prefecture names → codes."""
    provinces: dict[str, set[str]] = {}
    for code, name in PROVINCE_CODES.items():
        for key in {name, _short(name, _PROVINCE_SUFFIXES)}:
            provinces.setdefault(key, set()).add(code)
    prefectures: dict[str, dict[str, str]] = {}
    for code, name in PREFECTURE_NAMES.items():
        if not region_place(code + "00")[1]:
            continue  # "市辖区" and other groupings are not places
        for key in {name, _short(name, ("市",))}:
            prefectures.setdefault(code[:2], {})[key] = code
    return provinces, prefectures


_PROVINCES, _PREFECTURES = _place_index()


@functools.lru_cache(maxsize=4096)  # a roster repeats a few hundred places
def place_codes(name: str) -> tuple[str, ...]:
    """Every six-digit code `name` can mean: 省, 省+地级市 or a 地级市 alone, nothing else."""
    found: set[str] = set()
    for province_name, codes in _PROVINCES.items():
        if not name.startswith(province_name):
            continue
        rest = name.removeprefix(province_name)
        for province in codes:
            if not rest:
                found.add(province + "0000")
            elif rest in _PREFECTURES.get(province, {}):
                found.add(_PREFECTURES[province][rest] + "00")
    for names in _PREFECTURES.values():
        if name in names:
            found.add(names[name] + "00")
    return tuple(sorted(found))


def major_code(value: str) -> str:
    """An MOE major code: six digits (510201), undergraduate ones may end in letters (080901K).

    Excel drops the leading zero of 080901 from a number column; the check against the
    class's major allows for that (see validate)."""
    code = unicodedata.normalize("NFKC", value).strip().lstrip("'").upper()
    if not re.fullmatch(r"[0-9]{5,6}[A-Z]{0,2}", code):
        raise CellError(f"“{value}”不是专业代码（例如 510201）")
    return code


_CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def graduation_year(value: str) -> int:
    """`2026`, `2026届`, `2026年`, `二〇二六`, `二零二六届` → 2026; anything else is refused.

    `2023级` names the year a class *entered*, not the one it leaves, so it is refused too.
    """
    text_ = unicodedata.normalize("NFKC", value).strip().replace(" ", "")
    if text_.endswith("级"):
        raise CellError(f"“{value}”是入学年级，不是毕业年份（例如 2026 或 2026届）")
    digits = (
        text_.removesuffix("届").removesuffix("年度").removesuffix("年").translate(_CHINESE_DIGITS)
    )
    if not (_ascii_digits(digits) and len(digits) == 4 and 1990 <= int(digits) <= 2100):
        raise CellError(f"“{value}”不是毕业年份（例如 2026 或 2026届）")
    return int(digits)


def year(value: str) -> int:
    """`2024`, `2024级`, `2024届`, `2024年`."""
    digits = value.rstrip("届级年")
    if not _ascii_digits(digits):
        raise CellError(f"“{value}”不是年份")
    return integer(1990, 2100)(digits)
