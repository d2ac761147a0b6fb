"""Card features on tiny tables with values computed by hand (DuckDB)."""

from __future__ import annotations

import math
from typing import Any

import ibis
import pandas as pd
import pytest

from jingzhun.data.features import CardFeatureParams, card_features
from jingzhun.data.features.card import canteen_meals, median_by_sorting
from jingzhun.data.periods import ALL_PERIOD, TermCalendar
from tests.data.conftest import CardRow, card_table

POS, TOPUP = "POS消费", "卡充值"

# Student s1 in September 2014 (term 2014-2015-1), active on days 1, 2 and 4:
#   day 1: meal 07:00+07:05 (2.0+1.0 = 3.0, breakfast), meal 12:00 (6.0), meal 12:40 (1.5,
#          40 min after the previous tap: a new meal), shower 2.0, supermarket 10.0 at 23:30
#   day 2: top-up 100 (no place, no kind)
#   day 4: hot water 0.5 at 04:30, meal 08:59:59 (9.0, breakfast), library 1.0,
#          canteen correction -2.0 (not a meal, not spend)
S1: list[CardRow] = [
    ("s1", POS, "地点1", "食堂", "2014-09-01 07:00:00", 2.0, 98.0),
    ("s1", POS, "地点1", "食堂", "2014-09-01 07:05:00", 1.0, 97.0),
    ("s1", POS, "地点2", "食堂", "2014-09-01 12:00:00", 6.0, 91.0),
    ("s1", POS, "地点2", "食堂", "2014-09-01 12:40:00", 1.5, 89.5),
    ("s1", POS, "地点3", "淋浴", "2014-09-01 21:00:00", 2.0, 87.5),
    ("s1", POS, "地点4", "超市", "2014-09-01 23:30:00", 10.0, 77.5),
    ("s1", TOPUP, None, None, "2014-09-02 10:00:00", 100.0, 177.5),
    ("s1", POS, "地点5", "开水", "2014-09-04 04:30:00", 0.5, 177.0),
    ("s1", POS, "地点1", "食堂", "2014-09-04 08:59:59", 9.0, 168.0),
    ("s1", POS, "地点6", "图书馆", "2014-09-04 09:10:00", 1.0, 167.0),
    ("s1", POS, "地点1", "食堂", "2014-09-04 13:00:00", -2.0, 169.0),
]
# Student s2: one top-up in the spring term, and a row with neither category nor kind.
S2: list[CardRow] = [
    ("s2", TOPUP, None, None, "2015-03-02 10:00:00", 50.0, 60.0),
    ("s2", None, None, None, "2015-03-02 11:00:00", 5.0, 55.0),
]

S1_EXPECTED: dict[str, Any] = {
    "active_days": 3,
    "span_days": 4,
    "meals": 4,
    "canteen_days": 2,
    "meals_per_day": 2.0,
    "meal_cost_mean": (3.0 + 6.0 + 1.5 + 9.0) / 4,
    "meal_cost_median": (3.0 + 6.0) / 2,
    "cheap_meal_share": 2 / 4,
    "no_canteen_days": 2,
    "breakfast_share": 1.0,
    "supermarket_spend_per_day": 10.0 / 3,
    "shower_spend_per_day": 2.0 / 3,
    "topups_per_window": 1 * 30 / 4,
    "topup_mean": 100.0,
    # daily spend 22.5, 0, 10.5: mean 11, sample variance (11.5² + 11² + 0.5²) / 2 = 126.75
    "daily_spend_mean": 11.0,
    "spend_volatility": math.sqrt(126.75) / 11.0,
    "late_night_share": 2 / 11,
    "library_entries_per_window": 1 * 30 / 4,
    "spend_total": 22.5 + 10.5,
    "balance_mean": 1399.0 / 11,
    "balance_before_topup": 177.5 - 100.0,
    "topup_total": 100.0,
    "holiday_day_share": 0.0,
    "lunch_share": 1 / 2,  # lunch on day 1 only (two lunches, one day)
    "dinner_share": 0.0,
    "breakfast_cost_mean": (3.0 + 9.0) / 2,
    "lunch_cost_mean": (6.0 + 1.5) / 2,
    "weekend_meal_share": 0.0,  # Monday and Thursday
    "weekday_meal_cost": (3.0 + 6.0 + 1.5 + 9.0) / 4,
    "holiday_meal_share": 0.0,
    # deviations from 4.875: -1.875, 1.125, -3.375, 4.125; squares sum to 33.1875
    "meal_cost_cv": math.sqrt(33.1875 / 3) / 4.875,
    "meal_cost_max": 9.0,
    "breakfast_hour_mean": (7.0 + 8 + 59 / 60) / 2,  # 07:00 and 08:59 (minutes, not seconds)
    "breakfast_hour_sd": math.sqrt(2) * (8 + 59 / 60 - 7.0) / 2,
    "weeks_with_meals": 1,  # Monday 1 and Thursday 4 September 2014
    "active_months": 1,
    "month_spend_mean": 33.0,
    "small_topup_share": 0.0,
    "bank_topups": 0,
    "bank_topup_total": 0.0,
    "balance_min": 77.5,  # after the supermarket; the correction is not a purchase
    "low_balance_share": 0.0,
    "water_spend": 0.5,
    "bus_rides": 0,
    "laundry_spend": 0.0,
    "print_spend": 0.0,
    "card_replacements": 0,
}


def features(con: Any, rows: list[CardRow], **kwargs: Any) -> pd.DataFrame:
    frame = con.execute(card_features(card_table(rows), **kwargs))
    return frame.sort_values(["student_id", "period"]).reset_index(drop=True)


def test_every_card_feature_of_a_hand_computed_student(duckdb_con: Any) -> None:
    result = features(duckdb_con, S1, calendar=TermCalendar())

    assert len(result) == 1
    row = result.iloc[0]
    assert (row["student_id"], row["period"]) == ("s1", "2014-2015-1")
    assert {name: row[name] for name in S1_EXPECTED} == pytest.approx(S1_EXPECTED, rel=1e-12)


def test_a_student_without_meals_has_missing_meal_features_not_zero(duckdb_con: Any) -> None:
    row = features(duckdb_con, S2, calendar=TermCalendar()).iloc[0]

    assert (row["period"], row["meals"], row["canteen_days"]) == ("2014-2015-2", 0, 0)
    assert row["no_canteen_days"] == 1
    for name in ("meals_per_day", "meal_cost_mean", "meal_cost_median", "cheap_meal_share",
                 "lunch_share", "dinner_cost_mean", "weekend_meal_share", "weekday_meal_cost",
                 "holiday_meal_share", "meal_cost_cv", "breakfast_hour_mean"):  # fmt: skip
        assert pd.isna(row[name]), name
    assert row["weeks_with_meals"] == 0
    assert row["topup_mean"] == 50.0
    assert row["daily_spend_mean"] == 0.0  # an uncategorised row is not a purchase
    assert pd.isna(row["spend_volatility"])  # one day: no sample deviation


def test_terms_split_a_student_at_the_calendar_boundary(duckdb_con: Any) -> None:
    rows: list[CardRow] = [
        ("s3", POS, "地点1", "食堂", "2015-01-31 12:00:00", 5.0, 10.0),
        ("s3", POS, "地点1", "食堂", "2015-02-01 12:00:00", 5.0, 5.0),
    ]

    by_term = features(duckdb_con, rows, calendar=TermCalendar())
    shifted = features(duckdb_con, rows, calendar=TermCalendar(spring_start_month=3))
    whole = features(duckdb_con, rows)

    assert list(by_term["period"]) == ["2014-2015-1", "2014-2015-2"]
    assert list(shifted["period"]) == ["2014-2015-1"]
    assert list(whole["period"]) == [ALL_PERIOD]
    assert list(whole["span_days"]) == [2]


def test_meals_of_the_day_weekends_and_holidays(duckdb_con: Any) -> None:
    # Saturday 10 January 2015 (a holiday month): dinner 18:00 for 4.0 and a 12.0 lunch;
    # Monday 2 March 2015 (term): dinner 17:00 for 6.0 and a 50.0 top-up on 5.0 left.
    rows: list[CardRow] = [
        ("s4", POS, "地点1", "食堂", "2015-01-10 12:00:00", 12.0, 30.0),
        ("s4", POS, "地点1", "食堂", "2015-01-10 18:00:00", 4.0, 26.0),
        ("s4", TOPUP, None, None, "2015-03-02 08:00:00", 50.0, 55.0),
        ("s4", POS, "地点2", "食堂", "2015-03-02 17:00:00", 6.0, 49.0),
    ]

    row = features(duckdb_con, rows).iloc[0]

    assert row["weekend_meal_share"] == pytest.approx(2 / 3)
    assert row["holiday_day_share"] == pytest.approx(1 / 2)
    assert (row["lunch_share"], row["dinner_share"], row["breakfast_share"]) == (0.5, 1.0, 0.0)
    assert row["dinner_cost_mean"] == pytest.approx(5.0)
    assert row["lunch_cost_mean"] == pytest.approx(12.0)
    assert pd.isna(row["breakfast_cost_mean"])  # no breakfast: unknown, not free
    assert row["balance_before_topup"] == pytest.approx(5.0)
    assert row["spend_total"] == pytest.approx(22.0)


def test_top_ups_balances_other_spend_months_and_breakfast_times(duckdb_con: Any) -> None:
    # January 2015 (holiday month): a 20-yuan top-up on 3.0 left, a 200-yuan bank transfer,
    # breakfast on Saturday the 10th at 07:30 for 3.0. March 2015 (term): breakfast on Monday
    # the 2nd at 06:30 for 5.0, a bus ride, a 211-yuan purchase leaving 3.0, printing and
    # laundry leaving 2.5 and 0.5, a lost card, a 100-yuan top-up.
    rows: list[CardRow] = [
        ("s6", TOPUP, None, None, "2015-01-05 09:00:00", 20.0, 23.0),
        ("s6", "圈存转账", None, None, "2015-01-06 09:00:00", 200.0, 223.0),
        ("s6", POS, "地点1", "食堂", "2015-01-10 07:30:00", 3.0, 220.0),
        ("s6", POS, "地点1", "食堂", "2015-03-02 06:30:00", 5.0, 215.0),
        ("s6", POS, "地点7", "校车", "2015-03-02 08:00:00", 1.0, 214.0),
        ("s6", POS, "地点4", "超市", "2015-03-03 20:00:00", 211.0, 3.0),
        ("s6", POS, "地点9", "文印中心", "2015-03-04 10:00:00", 0.5, 2.5),
        ("s6", POS, "地点10", "洗衣房", "2015-03-04 21:00:00", 2.0, 0.5),
        ("s6", "卡挂失", None, None, "2015-03-05 10:00:00", 0.0, 0.5),
        ("s6", TOPUP, None, None, "2015-03-06 10:00:00", 100.0, 100.5),
    ]

    row = features(duckdb_con, rows).iloc[0]

    expected = {
        "small_topup_share": 1 / 2,  # 20 of the two card-office top-ups (the transfer is apart)
        "bank_topups": 1,
        "bank_topup_total": 200.0,
        "balance_min": 0.5,
        "low_balance_share": 3 / 6,  # 3.0, 2.5 and 0.5 left after six purchases
        "bus_rides": 1,
        "laundry_spend": 2.0,
        "print_spend": 0.5,
        "water_spend": 0.0,
        "card_replacements": 1,
        "weekend_meal_cost": 3.0,
        "weekday_meal_cost": 5.0,
        "holiday_meal_share": 1 / 2,
        "holiday_meal_cost": 3.0,
        "meal_cost_max": 5.0,
        "meal_cost_cv": math.sqrt(2) / 4.0,
        "breakfast_hour_mean": 7.0,
        "breakfast_hour_sd": math.sqrt(0.5),
        "weeks_with_meals": 2,
        "active_months": 2,  # January and March
        "month_spend_mean": (3.0 + 219.5) / 2,
        "month_spend_cv": (219.5 - 3.0) / math.sqrt(2) / 111.25,
    }
    assert {name: row[name] for name in expected} == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("gap_minutes", "second_tap", "meals"),
    [(30, "12:30:00", 1), (30, "12:30:01", 2), (10, "12:10:01", 2), (10, "12:09:00", 1)],
)
def test_taps_within_the_meal_gap_are_one_meal(
    duckdb_con: Any, gap_minutes: int, second_tap: str, meals: int
) -> None:
    rows: list[CardRow] = [
        ("s4", POS, "地点1", "食堂", "2014-10-08 12:00:00", 4.0, 10.0),
        ("s4", POS, "地点1", "食堂", f"2014-10-08 {second_tap}", 1.0, 9.0),
    ]
    params = CardFeatureParams(meal_gap_minutes=gap_minutes)

    result = duckdb_con.execute(canteen_meals(card_table(rows), params))

    assert len(result) == meals
    assert result["cost"].sum() == 5.0


def test_canteen_days_count_the_day_each_meal_starts_on(duckdb_con: Any) -> None:
    rows: list[CardRow] = [
        ("s5", POS, "地点1", "食堂", "2014-10-08 12:00:00", 4.0, 90.0),
        ("s5", POS, "地点1", "食堂", "2014-10-08 18:00:00", 4.0, 86.0),
        ("s5", POS, "地点1", "食堂", "2014-10-08 23:50:00", 3.0, 83.0),
        ("s5", POS, "地点1", "食堂", "2014-10-09 00:10:00", 1.0, 82.0),  # same meal, next day
        ("s5", POS, "地点1", "食堂", "2014-10-09 07:00:00", 2.0, 80.0),
        ("s5", POS, "地点1", "食堂", "2014-10-11 07:30:00", 2.0, 78.0),
        ("s5", POS, "地点1", "食堂", "2014-10-11 08:00:00", 1.0, 77.0),
    ]

    row = features(duckdb_con, rows, calendar=TermCalendar()).iloc[0]

    assert (row["meals"], row["canteen_days"]) == (5, 3)  # Oct 8, 9 and 11
    assert row["meals_per_day"] == 5 / 3
    assert row["breakfast_share"] == 2 / 3  # Oct 9 and 11
    assert row["no_canteen_days"] == 4 - 3


def test_thresholds_are_parameters(duckdb_con: Any) -> None:
    params = CardFeatureParams(
        cheap_meal_yuan=6.5, breakfast_start_hour=7, breakfast_end_hour=8, rate_window_days=7
    )

    row = features(duckdb_con, S1, params=params).iloc[0]

    assert row["cheap_meal_share"] == 3 / 4  # 3.0, 6.0 and 1.5 are now cheap
    assert row["breakfast_share"] == 1 / 2  # 08:59:59 is outside [07:00, 08:00)
    assert row["topups_per_window"] == pytest.approx(1 * 7 / 4)


def test_median_by_sorting_matches_the_textbook_median(duckdb_con: Any) -> None:
    values = {
        "odd": [5.0, 1.0, 3.0],
        "even": [4.0, 1.0, 2.0, 8.0],
        "one": [7.5],
        "ties": [2.0, 2.0, 9.0, 2.0],
    }
    frame = pd.DataFrame(
        [(name, "all", v) for name, vs in values.items() for v in vs],
        columns=["student_id", "period", "cost"],
    )

    result = duckdb_con.execute(median_by_sorting(ibis.memtable(frame), "cost"))

    assert dict(zip(result["student_id"], result["cost_median"], strict=True)) == {
        "odd": 3.0, "even": 3.0, "one": 7.5, "ties": 2.0,
    }  # fmt: skip
