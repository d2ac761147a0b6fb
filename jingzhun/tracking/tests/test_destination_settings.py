"""The destination settings fail at start-up with a message naming the variable."""

from __future__ import annotations

import pytest

from jingzhun.core.tests.test_settings import run_django


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("JINGZHUN_DESTINATION_DEADLINE", "8-31"),
        ("JINGZHUN_DESTINATION_DEADLINE", "02-29"),
        ("JINGZHUN_GRADUATION_DAY", "06-31"),
        ("JINGZHUN_UNKNOWN_OUTCOME_CONTACTS", "2"),
        ("JINGZHUN_UNKNOWN_OUTCOME_CONTACTS", "2,-1"),
        ("JINGZHUN_MINIMUM_WAGES", "henan=2000"),
    ],
)
def test_bad_destination_settings_stop_start_up(name: str, value: str):
    result = run_django({"DEBUG": "true", name: value})
    assert result.returncode != 0
    assert f"Environment variable {name} is invalid" in result.stderr


def test_good_destination_settings_start():
    result = run_django({"DEBUG": "true", "JINGZHUN_DESTINATION_DEADLINE": "09-30",
                         "JINGZHUN_UNKNOWN_OUTCOME_CONTACTS": "3,2",
                         "JINGZHUN_MINIMUM_WAGES": "41=1900,4101=2200"})  # fmt: skip
    assert result.returncode == 0, result.stderr
