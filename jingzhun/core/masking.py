"""Masks for personal identifiers shown by default (PIPL: minimum necessary display).

What a mask leaves must not be enough to rebuild the value with what the page shows beside
it. An ID number is region (6), birth date (8), sequence (3) and a check character; a
profile also shows the household-registration place, the cohort (so the birth year within a
few years) and the gender (the sequence's parity). Keeping the region prefix and the last four
left only the birth date to guess, and the household-registration code gave the rest of the
region: a few hundred candidates per student. So the ID keeps its first and last character
only, the place is shown by province and prefecture name, and e-mail addresses (often the
mobile number @163.com) lose their local part.
"""

from __future__ import annotations

from jingzhun.core.regions import region_place


def mask_id_number(value: str | None) -> str:
    """`110101199003071234` → `1****************4`."""
    if not value:
        return ""
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_phone(value: str | None) -> str:
    """`13812345678` → `138****5678`."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str | None) -> str:
    """`13812345678@163.com` → `1***@163.com`; text that is no address is masked whole."""
    if not value:
        return ""
    if "@" not in value:
        return "*" * len(value)
    local, domain = value.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"


def region_shown(code: str | None) -> str:
    """A household-registration code as the place a masked profile shows: `411328` →
    `河南省南阳市` (province and prefecture, never the county); "" when the code is unknown."""
    province, prefecture = region_place(code)
    return province + prefecture


def mask_region_code(code: str | None) -> str:
    """The same for machines: `411328` → `4113**`, or `41****` when no prefecture is named."""
    code = (code or "").strip()
    province, prefecture = region_place(code)
    if not province:
        return "*" * len(code)
    kept = 4 if prefecture else 2
    return code[:kept] + "*" * (len(code) - kept)
