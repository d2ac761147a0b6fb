"""Local minimum monthly wages (月最低工资标准), pure reference data for the wage check.

Figures are the provinces' published monthly minimum wages in force in 2025 (source year
2025; each row names the date it took effect). A province sets several tiers by city: a
named city carries its own tier, a province alone carries its *lowest* tier, so a wage the
check calls low is below the minimum wherever in the province the job is. The table holds the
provinces the demo and the college's graduates mostly go to; any other place, or a newer
figure, is given by the setting `JINGZHUN_MINIMUM_WAGES` ("41=1800,4101=2100"), which
overrides the table row by row. A place with no figure is never flagged — it is listed as
unknown so that someone adds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from jingzhun.core.idcard import PROVINCE_CODES
from jingzhun.core.regions import PREFECTURE_NAMES

SOURCE_YEAR = 2025


@dataclass(frozen=True)
class MinimumWage:
    region: str  # two-digit province or four-digit city code
    monthly: int  # yuan
    effective_from: dt.date | None = None


MINIMUM_WAGES: dict[str, MinimumWage] = {
    w.region: w
    for w in [
        MinimumWage("11", 2540, dt.date(2025, 9, 1)),  # 北京
        MinimumWage("31", 2740, dt.date(2025, 7, 1)),  # 上海
        MinimumWage("41", 1800, dt.date(2024, 10, 1)),  # 河南 (third tier)
        MinimumWage("4101", 2100, dt.date(2024, 10, 1)),  # 郑州 (first tier)
        MinimumWage("4103", 2100, dt.date(2024, 10, 1)),  # 洛阳 (first tier)
        MinimumWage("4401", 2500, dt.date(2025, 3, 1)),  # 广州
        MinimumWage("4403", 2520, dt.date(2025, 3, 1)),  # 深圳
    ]
}

_OVERRIDE = re.compile(r"^\s*(\d{2}|\d{4})\s*=\s*(\d{3,5})\s*$")


def parse_overrides(raw: str) -> dict[str, int]:
    """`"41=1800, 4101=2100"` → {"41": 1800, "4101": 2100}; ValueError naming the bad part."""
    result: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        match = _OVERRIDE.match(part)
        if not match:
            raise ValueError(f"{part!r} is not region=yuan (a 2- or 4-digit region code)")
        result[match.group(1)] = int(match.group(2))
    return result


def minimum_wage(region: str, overrides: Mapping[str, int] | None = None) -> int | None:
    """The minimum monthly wage for a 4-digit city (or 2-digit province) code: the city's own
    figure, else its province's; None when neither is known."""
    overrides = overrides or {}
    for key in (region[:4], region[:2]) if len(region) >= 4 else (region[:2],):
        if key in overrides:
            return overrides[key]
        if key in MINIMUM_WAGES:
            return MINIMUM_WAGES[key].monthly
    return None


_MUNICIPALITIES = {"北京": "1101", "天津": "1201", "上海": "3101", "重庆": "5001"}
_BY_NAME: dict[str, str] = {
    name: code
    for code, name in PREFECTURE_NAMES.items()
    if name not in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
}


def city_region(city: str) -> str:
    """The 4-digit city code of a city's name ("郑州", "郑州市", "河南省郑州市"), "" if unknown."""
    name = re.sub(r"\s", "", city or "")
    for province in PROVINCE_CODES.values():
        if name.startswith(province) and name != province:
            name = name[len(province) :]
            break
    short = name.removesuffix("市")
    if short in _MUNICIPALITIES:
        return _MUNICIPALITIES[short]
    return _BY_NAME.get(name) or _BY_NAME.get(f"{short}市") or ""
