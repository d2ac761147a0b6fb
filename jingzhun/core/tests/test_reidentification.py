"""The candidate count is exact: it agrees with enumerating every number by brute force."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from jingzhun.core.idcard import check_character
from jingzhun.core.reidentification import birth_dates_for_entry, id_numbers_matching

REGIONS = ["411328", "411381", "410102"]
DATES = [date(2005, 3, 17) + timedelta(days=n) for n in range(40)]


def brute_force(shown: str, male: bool | None) -> int:
    count = 0
    for region, day, n in product(REGIONS, DATES, range(1000)):
        if male is not None and (n % 2 == 1) != male:
            continue
        first17 = f"{region}{day:%Y%m%d}{n:03d}"
        number = first17 + check_character(first17)
        count += all(s in ("*", c) for c, s in zip(number, shown, strict=True))
    return count


@pytest.mark.parametrize(
    ("shown", "male"),
    [("411***********9994", True), ("4****************5", None), ("4****************X", False),
     ("4113**200503*****7", True), ("******************", None)],
)  # fmt: skip
def test_the_count_is_the_brute_force_count(shown, male):
    counted = id_numbers_matching(shown, regions=REGIONS, birth_dates=DATES, male=male)
    assert counted == brute_force(shown, male)


def test_a_fully_shown_number_has_one_candidate():
    number = "411328200503179994"  # sequence 999: a man
    assert (
        id_numbers_matching(number, regions=["411328"], birth_dates=DATES, male=True),
        id_numbers_matching(number, regions=["411328"], birth_dates=DATES, male=False),
    ) == (1, 0)


def test_birth_dates_for_an_entry_year_cover_the_ages_exactly():
    dates = birth_dates_for_entry(2024, youngest=17, oldest=20)
    assert (dates[0], dates[-1], len(dates)) == (date(2003, 9, 2), date(2007, 9, 1), 1461)


def test_a_masked_number_has_eighteen_characters():
    with pytest.raises(ValueError, match="18 characters, not 4"):
        id_numbers_matching("4***", regions=REGIONS, birth_dates=DATES, male=None)
