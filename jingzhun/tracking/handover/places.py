"""Household-registration places (户籍地) as a handover groups them. Pure.

A batch goes to the human-resources office of a prefecture (地级市, the first four digits of
the region code). Municipalities (北京 1101 "市辖区", 重庆 5001/5002) and counties under the
province directly (4190 "省直辖县级行政区划" …) have no prefecture name of their own: they keep
their four-digit key and are named by the province. Names come from `core.regions` (GB/T 2260,
NBS 2023); a code that names no province is no place (it cannot be handed over).
"""

from __future__ import annotations

import re

from jingzhun.core.regions import region_place

_CODE = re.compile(r"[1-9][0-9]{5}")


def place_key(code: str | None) -> str:
    """`411328` → `4113`; "" when the code names no province."""
    code = (code or "").strip()
    if not _CODE.fullmatch(code):
        return ""
    province, _prefecture = region_place(code)
    return code[:4] if province else ""


def place_name(key: str) -> str:
    """`4113` → `河南省南阳市`, `1101` → `北京市`, `4190` → `河南省`."""
    province, prefecture = region_place(f"{key}00" if len(key) == 4 else "")
    return province + prefecture
