"""How many ID numbers agree with what a masked page shows: the measure of what a mask hides.

Someone who sees a masked ID number, the place of household registration, the cohort and the
gender knows the region up to the places that match, the birth date up to the ages students
enter at, the sequence's parity, and every character the mask leaves. The number of valid ID
numbers (GB 11643: the check character included) that agree with all of it is how many
guesses the full number takes. The benchmark `benchmarks/id_candidates.py` reports it over
the demo college; the tests keep it from falling back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from jingzhun.core.idcard import check_character

HIDDEN = "*"
_CHECK_CHARS = "10X98765432"  # GB 11643: the check character of each weighted sum mod 11


@cache
def _residue(part: str, offset: int) -> int:
    """The weighted sum mod 11 that `part`, at `offset` of the first 17 characters, adds."""
    padded = "0" * offset + part + "0" * (17 - offset - len(part))
    return _CHECK_CHARS.index(check_character(padded))


@cache
def _ymd(day: date) -> str:
    return f"{day:%Y%m%d}"


def _fits(value: str, shown: str) -> bool:
    return all(s in (HIDDEN, v) for v, s in zip(value, shown, strict=True))


def _residues(values: Iterable[str], shown: str, offset: int) -> Counter[int]:
    if shown == HIDDEN * len(shown):
        return Counter(_residue(v, offset) for v in values)
    return Counter(_residue(v, offset) for v in values if _fits(v, shown))


def id_numbers_matching(
    shown: str, *, regions: Iterable[str], birth_dates: Iterable[date], male: bool | None
) -> int:
    """The 18-character ID numbers that agree with `shown` (`*` hides a character), whose
    region is one of `regions`, birth date one of `birth_dates`, and sequence odd for a man
    and even for a woman (`male` None: either)."""
    if len(shown) != 18:
        raise ValueError(f"an ID number has 18 characters, not {len(shown)}")
    by_region = _residues(set(regions), shown[:6], 0)
    by_date = _residues({_ymd(d) for d in birth_dates}, shown[6:14], 6)
    sequences = (f"{n:03d}" for n in range(1000) if male is None or (n % 2 == 1) == male)
    by_sequence = _residues(sequences, shown[14:17], 14)
    total = 0
    for r, regions_n in by_region.items():
        for d, dates_n in by_date.items():
            for s, sequences_n in by_sequence.items():
                if shown[17] in (HIDDEN, _CHECK_CHARS[(r + d + s) % 11]):
                    total += regions_n * dates_n * sequences_n
    return total


def birth_dates_for_entry(entry_year: int, *, youngest: int, oldest: int) -> list[date]:
    """Birth dates of students aged `youngest`..`oldest` on 1 September of the entry year."""
    first = date(entry_year - oldest - 1, 9, 2)
    last = date(entry_year - youngest, 9, 1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
