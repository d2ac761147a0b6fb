"""Where a posting is: free place text → the six-digit code of its prefecture or municipality.

Pure: no Django. Job sites write `上海-浦东新区`, `北京·海淀区·中关村`, `北京市海淀区苏家坨镇…`,
`['广州']`, `河南省郑州市`. The first place name in the text is matched against the province
and prefecture tables of GB/T 2260 (`core.idcard`, `core.regions`); the four municipalities
(北京, 天津, 上海, 重庆) resolve to their province-level code (110000). County-level cities
(昆山, 义乌) are outside those tables and are reported, not rounded to a guess.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import StrEnum

from jingzhun.core.idcard import PROVINCE_CODES
from jingzhun.core.regions import PREFECTURE_NAMES, region_place
from jingzhun.students.reference import ETHNICITIES


class PlaceProblem(StrEnum):
    MISSING = "missing"
    PROVINCE_ONLY = "province_only"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            PlaceProblem.MISSING: "未注明城市",
            PlaceProblem.PROVINCE_ONLY: "只写到省，无法确定城市",
            PlaceProblem.AMBIGUOUS: "可能指多个地级市",
            PlaceProblem.UNKNOWN: "不是地级市或直辖市名称（县级市、区县无法识别）",
        }[self]


MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
_SEPARATORS = re.compile(r"[-·•/|,，、\s:：()（）]+")


def _short(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


_ETHNIC = sorted(
    {n for _c, n in ETHNICITIES} | {"蒙古", "哈萨克", "柯尔克孜"}, key=len, reverse=True
)


def _autonomous_short(name: str) -> str:
    """`黔南布依族苗族自治州` → `黔南`, `巴音郭楞蒙古自治州` → `巴音郭楞`: the place before the
    peoples the prefecture is named for."""
    if not name.endswith("自治州"):
        return name
    for start in range(1, len(name)):
        if any(name[start:].startswith(e) for e in _ETHNIC):
            return name[:start]
    return name


def _index() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]], dict[str, set[str]]]:
    provinces = sorted(
        ((key, code) for code, name in PROVINCE_CODES.items()
         for key in {name, _short(name, _PROVINCE_SUFFIXES)}),
        key=lambda item: -len(item[0]),
    )  # fmt: skip
    within: dict[str, dict[str, str]] = {}
    anywhere: dict[str, set[str]] = {}
    for code, name in PREFECTURE_NAMES.items():
        if not region_place(code + "00")[1]:
            continue  # 市辖区 and other groupings are not places
        for key in {name, _short(name, ("市", "地区", "盟")), _autonomous_short(name)}:
            within.setdefault(code[:2], {})[key] = code + "00"
            anywhere.setdefault(key, set()).add(code + "00")
    return provinces, within, anywhere


_PROVINCES, _WITHIN, _ANYWHERE = _index()


@functools.lru_cache(maxsize=4096)
def city_code(text: str) -> tuple[str, PlaceProblem | None]:
    """(code, None) or ("", the problem) for the first place named in `text`."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    first = next((part for part in _SEPARATORS.split(value) if part), "")
    if not first:
        return "", PlaceProblem.MISSING
    for name, province in _PROVINCES:
        if not first.startswith(name):
            continue
        if province in MUNICIPALITIES:
            return province + "0000", None
        rest = first.removeprefix(name)
        for prefecture, code in sorted(_WITHIN.get(province, {}).items(), key=lambda i: -len(i[0])):
            if rest.startswith(prefecture):
                return code, None
        if rest:
            break  # 河南省 + something that is no prefecture of 河南
        return "", PlaceProblem.PROVINCE_ONLY
    for length in range(len(first), 1, -1):
        codes = _ANYWHERE.get(first[:length])
        if codes and len(codes) == 1:
            return next(iter(codes)), None
        if codes:
            return "", PlaceProblem.AMBIGUOUS
    return "", PlaceProblem.UNKNOWN


def city_name(code: str) -> str:
    """`410100` → `郑州市`, `110000` → `北京市`."""
    province, prefecture = region_place(code)
    return prefecture or province
