"""Resident identity card numbers (GB 11643-1999) and mainland mobile numbers.

An 18-character number is: six-digit region code (GB/T 2260), birth date YYYYMMDD,
three-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
The region is checked to the province level: counties are renamed and merged every year and
a number stays valid for life under the code it was issued with, so a current county table
would reject real people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# Province-level codes of GB/T 2260 (including Taiwan, Hong Kong and Macao, which appear
# on residence permits for those residents).
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省",
    "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip

_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class InvalidIdNumber(ValueError):
    """Carries a code so callers can report which part of the number is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    region_code: str
    birth_date: date
    is_male: bool


def check_character(first17: str) -> str:
    total = sum(map(int.__mul__, map(int, first17), _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def normalise_id_number(raw: object) -> str:
    """Strip spaces and Excel's apostrophe prefix; upper-case a trailing x."""
    text = str(raw or "").strip().lstrip("'").replace(" ", "")
    return text.upper()


def parse_id_number(raw: object, *, today: date | None = None) -> IdNumberInfo:
    """Validate an ID number and return what it encodes; raise InvalidIdNumber otherwise."""
    number = normalise_id_number(raw)
    if not _ID_RE.match(number):
        raise InvalidIdNumber("format", "身份证号应为 18 位：17 位数字加 1 位数字或 X")
    if number[:2] not in PROVINCE_CODES:
        raise InvalidIdNumber("region", f"身份证号的地区码 {number[:6]} 不是有效的省级行政区划代码")
    if number[2:4] == "00":
        raise InvalidIdNumber("region", f"身份证号的地区码 {number[:6]} 缺少地市级代码")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("birth_date", f"身份证号中的出生日期 {number[6:14]} 无效") from exc
    today = today or date.today()
    if birth.year < 1900 or birth > today:
        raise InvalidIdNumber("birth_date", f"身份证号中的出生日期 {number[6:14]} 超出范围")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber("checksum", f"身份证号校验位应为 {expected}，实际为 {number[17]}")
    return IdNumberInfo(
        number=number,
        region_code=number[:6],
        birth_date=birth,
        is_male=int(number[16]) % 2 == 1,
    )


def normalise_phone(raw: object) -> str:
    """`138 1234-5678`, `+86 13812345678`, `8613812345678` → `13812345678`.

    Returns the digits unchanged when they are not a mainland mobile number, so a caller can
    decide whether a landline is acceptable; `is_mobile` tells which.
    """
    text = str(raw or "").strip().lstrip("'")
    digits = re.sub(r"[\s\-()（）+.]", "", text)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_mobile(phone: str) -> bool:
    return bool(_MOBILE_RE.match(phone))
