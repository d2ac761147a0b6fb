"""The calendar and contact rules of destinations, pure.

- Changes close on the deadline of the graduation year (`JINGZHUN_DESTINATION_DEADLINE`,
  month-day, default 08-31): the MOE report is taken then.
- Staff may record a not-placed outcome (the student's destination is unknown) only after
  enough attempts to reach the student before and after graduation
  (`JINGZHUN_UNKNOWN_OUTCOME_CONTACTS`, "before,after", default 2,2): the figure the office
  reports must be defensible.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def parse_month_day(raw: str) -> tuple[int, int]:
    """ "08-31" → (8, 31); ValueError when it is not a day of every year (02-29 is refused)."""
    match = _MONTH_DAY.match(raw.strip())
    if not match:
        raise ValueError(f"{raw!r} is not MM-DD")
    month, day = int(match.group(1)), int(match.group(2))
    dt.date(2023, month, day)  # a non-leap year: raises for 02-29, 04-31, 13-01 …
    return month, day


def deadline(cohort: int, month_day: tuple[int, int]) -> dt.date:
    return dt.date(cohort, *month_day)


def graduation_day(cohort: int, month_day: tuple[int, int]) -> dt.date:
    return dt.date(cohort, *month_day)


def is_open(cohort: int, today: dt.date, month_day: tuple[int, int]) -> bool:
    """Registrations and changes are taken until the deadline day, inclusive."""
    return today <= deadline(cohort, month_day)


@dataclass(frozen=True)
class ContactCount:
    before: int
    after: int


def count_contacts(dates: Iterable[dt.date], graduated_on: dt.date) -> ContactCount:
    """Attempts on or before the graduation day count as before, later ones as after."""
    days = list(dates)
    before = sum(1 for d in days if d <= graduated_on)
    return ContactCount(before=before, after=len(days) - before)


def contacts_missing(count: ContactCount, required: tuple[int, int]) -> ContactCount:
    """How many more attempts are needed before and after graduation (0, 0 when the rule holds)."""
    return ContactCount(
        before=max(0, required[0] - count.before), after=max(0, required[1] - count.after)
    )
