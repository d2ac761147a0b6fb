"""Thresholds and windows of the feature definitions, as typed frozen values.

Every number a feature depends on lives here so that a run can record exactly which
definitions produced its features, and so that a college can change one without editing code.
"""

from __future__ import annotations

from dataclasses import dataclass

SECONDS_PER_MINUTE = 60


@dataclass(frozen=True)
class CardFeatureParams:
    """Definitions of the campus-card features (kinds and categories as spelled in the data)."""

    canteen_kind: str = "食堂"
    supermarket_kind: str = "超市"
    shower_kind: str = "淋浴"
    library_kind: str = "图书馆"
    water_kind: str = "开水"
    bus_kind: str = "校车"
    laundry_kind: str = "洗衣房"
    print_kind: str = "文印中心"
    spend_categories: tuple[str, ...] = ("POS消费",)
    """Categories that are purchases; only positive amounts count (negatives are corrections)."""
    topup_categories: tuple[str, ...] = ("卡充值",)
    """Top-ups at the card office. 圈存转账 (bank transfer) is a top-up too; add it if wanted."""
    bank_topup_categories: tuple[str, ...] = ("圈存转账",)
    """Transfers from a bank account linked to the card (counted on their own)."""
    card_replacement_categories: tuple[str, ...] = ("卡挂失", "卡补办", "换卡")
    """A card reported lost, reissued or exchanged."""
    small_topup_yuan: float = 50.0
    """A top-up of at most this many yuan is small."""
    low_balance_yuan: float = 5.0
    """A purchase leaving less than this on the card is made on a low balance."""
    meal_gap_minutes: int = 30
    """Canteen taps closer than this to the previous tap are the same meal (dish + rice + soup)."""
    cheap_meal_yuan: float = 4.0
    breakfast_start_hour: int = 6
    breakfast_end_hour: int = 9
    """A day has breakfast when a meal starts in [start, end)."""
    lunch_start_hour: int = 10
    lunch_end_hour: int = 14
    dinner_start_hour: int = 16
    dinner_end_hour: int = 20
    """Lunch and dinner start in these [start, end) hour windows, like breakfast."""
    holiday_months: tuple[int, ...] = (1, 2, 7, 8)
    """Months mostly outside term (winter and summer holidays): who stays on campus then."""
    late_night_start_hour: int = 23
    late_night_end_hour: int = 5
    """Late night is [start, 24) ∪ [0, end)."""
    rate_window_days: int = 30
    """Counts that depend on how long a student was around are given per this many days."""

    @property
    def meal_gap_seconds(self) -> int:
        return self.meal_gap_minutes * SECONDS_PER_MINUTE


@dataclass(frozen=True)
class JobPlatformParams:
    """Action names of the job-platform event source."""

    login_action: str = "login"
    resume_action: str = "resume_update"
    application_action: str = "application"


@dataclass(frozen=True)
class DormParams:
    """Dormitory access: how the gate system spells an entry, and what counts as late."""

    entry_direction: str = "in"
    late_start_hour: int = 23
    late_end_hour: int = 5
    """A late return enters in [start, 24) ∪ [0, end)."""
