"""The overview's pure part as tables: figures, links, shares and what suppression hides."""

from __future__ import annotations

import pytest

from jingzhun.analytics.overview import Counts, Labels, Params, build, chart_data, share

LABELS = Labels(
    statuses={
        s: s
        for s in ("candidate", "confirmed", "in_assistance", "exit_proposed", "exited", "dismissed")
    },
    levels={"1": "L1", "2": "L2", "3": "L3", "": "none"},
    flagged="flagged",
    untyped="untyped",
)


def counts(**overrides: object) -> Counts:
    base: dict[str, object] = {
        "flagged": 40,
        "statuses": {"candidate": 6, "confirmed": 20, "in_assistance": 8, "exited": 2},
        "counted": ("candidate", "confirmed", "in_assistance", "exit_proposed"),
        "status_param": "",
        "groups": [("1", "A"), ("2", "B")],
        "group_totals": {"1": 31, "2": 3},
        "cells": {("1", "7"): 25, ("1", "8"): 6, ("2", "7"): 3, ("1", ""): 1},
        "types": [("7", "economic"), ("8", "academic")],
        "levels": {"1": 10, "2": 18, "3": 5, "": 1},
        "cohorts": {2027: 30, 2026: 4},
        "population": {2027: 300, 2026: 200},
        "trend": [("5", "2026-09-01 #5", 40, 34)],
        "filterable": frozenset({"7", "8"}),
    }
    return Counts(**(base | overrides))  # type: ignore[arg-type]


def link(params: Params) -> str:
    return "/cases/?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (3, 12, "25.0%"),
        (0, 7, "0.0%"),
        (None, 12, "—"),
        (3, None, "—"),
        (3, 0, "—"),
        (1, 3, "33.3%"),
    ],
)
def test_share(part: int | None, whole: int | None, text: str):
    assert share(part, whole) == text


LINKS = [
    # (what, figure getter, expected url)
    ("counted", lambda o: o.counted, "/cases/"),
    ("stage", lambda o: o.funnel[2].figure, "/cases/?status=confirmed"),
    ("flagged has no case filter", lambda o: o.funnel[0].figure, ""),
    ("row", lambda o: o.rows[0].total, "/cases/?school=1"),
    ("cell", lambda o: o.rows[0].cells[1], "/cases/?difficulty_type=8&school=1"),
    ("untyped cell", lambda o: o.rows[0].cells[2], ""),
    ("restricted type", lambda o: o.rows[0].cells[1], ""),
    ("column", lambda o: o.column_totals[0], "/cases/?difficulty_type=7"),
    ("level", lambda o: o.levels[0].figure, "/cases/?level=1"),
    ("no level", lambda o: o.levels[3].figure, ""),
    ("cohort", lambda o: o.cohorts[0].cases, "/cases/?cohort=2027"),
]


@pytest.mark.parametrize(("what", "get", "url"), LINKS, ids=[c[0] for c in LINKS])
def test_links(what: str, get, url: str):
    filterable = frozenset({"7"} if what == "restricted type" else {"7", "8"})
    overview = build(
        counts(filterable=filterable), LABELS, link=lambda p: link(p).rstrip("?"), suppressed=False
    )
    assert get(overview).url == url


def test_a_status_choice_travels_with_every_link():
    overview = build(
        counts(counted=("confirmed",), status_param="confirmed"), LABELS, link=link,
        suppressed=False,
    )  # fmt: skip
    assert overview.counted.value == 20
    assert overview.rows[1].cells[0].url == "/cases/?difficulty_type=7&school=2&status=confirmed"


def test_without_suppression_every_number_shows():
    overview = build(counts(), LABELS, link=link, suppressed=False)
    assert [c.text for c in overview.rows[1].cells] == ["3", "0", "0"]
    assert [c.value for c in overview.column_totals] == [28, 6, 1]
    assert [(c.cohort, c.share) for c in overview.cohorts] == [(2027, "10.0%"), (2026, "2.0%")]


def test_suppressed_pages_have_no_links_no_column_totals_and_no_small_number():
    overview = build(counts(), LABELS, link=None, suppressed=True)
    assert overview.column_totals == []
    assert [c.text for c in overview.rows[1].cells] == ["<5", "<5", "<5"]
    assert overview.rows[1].total.text == "<5"
    assert overview.rows[0].total.text == "—"  # 34 - 31 would give 3
    assert overview.cohorts[1].share == "—"  # 4 of 200
    data = chart_data(overview, ("f", "n"))
    assert data["suppressed"] is True
    funnel = data["funnel"]
    assert isinstance(funnel, list) and all(p["url"] == "" for p in funnel)
