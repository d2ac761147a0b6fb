"""The difficulty overview as plain values: from counts to figures, links and suppression.

Pure: the selector gathers the counts (`jingzhun.identification.stats`), this module decides
what each number shows, where it links and, for pages that leave the institution, which
numbers are hidden (`suppression`). Tested as tables, without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from jingzhun.analytics.suppression import Equation, Hidden, shown, suppress

# The case statuses in the order a student moves through them; the first four are open.
PIPELINE = ("candidate", "confirmed", "in_assistance", "exit_proposed", "exited", "dismissed")
OPEN = PIPELINE[:4]
FUNNEL_CHART = ("flagged", "candidate", "confirmed", "in_assistance", "exited")
UNSET = ""  # a case without a level, or without a type
TYPE = "difficulty_type"  # the case list's parameter for a type (its id)

# Query parameters of the case list: one value, or several of the same name.
Params = dict[str, str | tuple[str, ...]]
Link = Callable[[Params], str]


@dataclass(frozen=True)
class Figure:
    """One number as the page shows it: `value` is None when it is hidden."""

    value: int | None
    text: str
    url: str = ""
    hidden: str = ""  # "", "primary" or "complementary"


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class MatrixRow:
    key: str
    label: str
    total: Figure
    cells: list[Figure]


@dataclass(frozen=True)
class CohortRow:
    cohort: int
    population: Figure
    cases: Figure
    share: str  # "12.5%", or "—" when a count it comes from is hidden


@dataclass(frozen=True)
class TrendRow:
    key: str
    label: str
    flagged: Figure
    new_cases: Figure


@dataclass(frozen=True)
class Counts:
    """What the selector read; keys of groups (schools or institutions) are their ids as text."""

    flagged: int
    statuses: Mapping[str, int]  # every status, for the funnel
    counted: Sequence[str]  # the statuses the breakdowns count (OPEN, or one status)
    status_param: str  # the case list's `status` for them ("" is every open case)
    groups: Sequence[tuple[str, str]]  # (key, name), every group of the scope
    group_totals: Mapping[str, int]
    cells: Mapping[tuple[str, str], int]  # (group key, type code or UNSET)
    types: Sequence[tuple[str, str]]  # (code, name)
    levels: Mapping[str, int]  # "1", "2", "3" or UNSET
    cohorts: Mapping[int, int]  # in difficulty
    population: Mapping[int, int]
    trend: Sequence[tuple[str, str, int, int]]  # (key, label, flagged, new cases)
    # Types the case list lets this viewer filter by: a psychological, health or family-finance
    # type the viewer may not open is counted but not a link (the list would name its cases).
    filterable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Labels:
    statuses: Mapping[str, str]
    levels: Mapping[str, str]  # including UNSET
    flagged: str
    untyped: str


@dataclass(frozen=True)
class Overview:
    counted: Figure
    funnel: list[Stage]
    columns: list[tuple[str, str]]
    rows: list[MatrixRow]
    column_totals: list[Figure]  # empty when suppressed pages omit them
    levels: list[Stage]
    cohorts: list[CohortRow]
    trend: list[TrendRow]
    suppressed: bool
    notes: list[str] = field(default_factory=list)


def values_of(counts: Counts) -> dict[str, int]:
    """Every number of the page under one key, the key suppression and the page share."""
    values = {"flagged": counts.flagged, "counted": _counted(counts)}
    values |= {f"status:{s}": counts.statuses.get(s, 0) for s in PIPELINE}
    for group, _name in counts.groups:
        values[f"group:{group}"] = counts.group_totals.get(group, 0)
        for code in _codes(counts):
            values[f"cell:{group}:{code}"] = counts.cells.get((group, code), 0)
    values |= {f"level:{k}": n for k, n in _levels(counts).items()}
    for cohort in _cohorts(counts):
        values[f"cohort:{cohort}"] = counts.cohorts.get(cohort, 0)
        values[f"population:{cohort}"] = counts.population.get(cohort, 0)
    for key, _label, flagged, new in counts.trend:
        values[f"trend-flagged:{key}"], values[f"trend-new:{key}"] = flagged, new
    return values


def equations_of(counts: Counts) -> list[Equation]:
    """The sums a reader of the page can form. The group rows are written as if each student
    had one type (a student of two types counts under both, so the row total is at most the
    sum): assuming the tighter identity only hides more. Column totals are not shown on a
    suppressed page, so the equations stay a tree."""
    total = "counted"
    equations = [
        Equation(total, tuple(f"status:{s}" for s in counts.counted)),
        Equation(total, tuple(f"level:{k}" for k in _levels(counts))),
        Equation(total, tuple(f"cohort:{c}" for c in _cohorts(counts))),
        Equation(total, tuple(f"group:{g}" for g, _name in counts.groups)),
        Equation("flagged", tuple(f"trend-flagged:{key}" for key, *_rest in counts.trend)),
    ]
    codes = _codes(counts)
    equations += [
        Equation(f"group:{g}", tuple(f"cell:{g}:{c}" for c in codes)) for g, _name in counts.groups
    ]
    return [eq for eq in equations if eq.parts]


def build(counts: Counts, labels: Labels, *, link: Link | None, suppressed: bool) -> Overview:
    """The overview; `link` makes the case-list URL of a filter (None: no drill-down)."""
    values = values_of(counts)
    hidden = suppress(values, equations_of(counts)) if suppressed else {}

    def fig(key: str, params: Params | None = None) -> Figure:
        kind = hidden.get(key)
        url = link(params) if link is not None and params is not None and kind is None else ""
        value = None if kind else values[key]
        return Figure(value, shown(values[key], kind), url, str(kind or ""))

    difficulty: Params = {"status": counts.status_param} if counts.status_param else {}
    funnel = [Stage("flagged", labels.flagged, fig("flagged"))]
    funnel += [Stage(s, labels.statuses[s], fig(f"status:{s}", {"status": s})) for s in PIPELINE]
    codes = _codes(counts)
    names = dict(counts.types) | {UNSET: labels.untyped}
    rows = [
        MatrixRow(
            key=g,
            label=name,
            total=fig(f"group:{g}", difficulty | {"school": g}),
            cells=[
                fig(
                    f"cell:{g}:{c}",
                    difficulty | {"school": g, TYPE: c} if c in counts.filterable else None,
                )
                for c in codes
            ],
        )
        for g, name in counts.groups
    ]
    column_totals = (
        [] if suppressed else [_column_total(counts, c, link, difficulty) for c in codes]
    )
    levels = [
        Stage(k, labels.levels[k], fig(f"level:{k}", difficulty | {"level": k} if k else None))
        for k in _levels(counts)
    ]
    cohorts = [_cohort_row(c, fig, difficulty) for c in _cohorts(counts)]
    trend = [
        TrendRow(key, label, fig(f"trend-flagged:{key}"), fig(f"trend-new:{key}"))
        for key, label, _f, _n in counts.trend
    ]
    return Overview(
        counted=fig("counted", difficulty),
        funnel=funnel,
        columns=[(c, names.get(c, c)) for c in codes],
        rows=rows,
        column_totals=column_totals,
        levels=levels,
        cohorts=cohorts,
        trend=trend,
        suppressed=suppressed,
    )


def _cohort_row(cohort: int, fig: Callable[..., Figure], difficulty: Params) -> CohortRow:
    population = fig(f"population:{cohort}")
    count = fig(f"cohort:{cohort}", difficulty | {"cohort": str(cohort)})
    return CohortRow(cohort, population, count, share(count.value, population.value))


def share(part: int | None, whole: int | None) -> str:
    """A percentage with one decimal; "—" when either count is hidden or the whole is 0."""
    if part is None or not whole:
        return "—"
    return f"{100 * part / whole:.1f}%"


def _column_total(counts: Counts, code: str, link: Link | None, difficulty: Params) -> Figure:
    """Students of one type over the groups shown (no student is in two groups)."""
    n = sum(counts.cells.get((g, code), 0) for g, _name in counts.groups)
    params: Params = difficulty | {TYPE: code}
    url = link(params) if link is not None and code in counts.filterable else ""
    return Figure(n, shown(n, None), url)


def _counted(counts: Counts) -> int:
    return sum(counts.statuses.get(s, 0) for s in counts.counted)


def _codes(counts: Counts) -> list[str]:
    """Every configured type, then "no type" if some case has none."""
    codes = [code for code, _name in counts.types]
    if any(code == UNSET and n for (_g, code), n in counts.cells.items()):
        codes.append(UNSET)
    return codes


def _levels(counts: Counts) -> dict[str, int]:
    levels = {k: counts.levels.get(k, 0) for k in ("1", "2", "3")}
    if counts.levels.get(UNSET):
        levels[UNSET] = counts.levels[UNSET]
    return levels


def _cohorts(counts: Counts) -> list[int]:
    return sorted(set(counts.population) | set(counts.cohorts), reverse=True)


def chart_data(overview: Overview, trend_names: tuple[str, str]) -> dict[str, object]:
    """What the charts read (rendered with `json_script`): hidden numbers are null, never
    the count, with the text the table shows."""

    def point(figure: Figure) -> dict[str, object]:
        return {"value": figure.value, "text": figure.text, "url": figure.url}

    return {
        "suppressed": overview.suppressed,
        "funnel": [
            {"name": s.label, **point(s.figure)} for s in overview.funnel if s.key in FUNNEL_CHART
        ],
        "matrix": {
            "groups": [row.label for row in overview.rows],
            "series": [
                {"name": name, "data": [point(row.cells[i]) for row in overview.rows]}
                for i, (_code, name) in enumerate(overview.columns)
            ],
        },
        "levels": [{"name": s.label, **point(s.figure)} for s in overview.levels],
        "cohorts": {
            "labels": [str(c.cohort) for c in reversed(overview.cohorts)],
            "data": [{**point(c.cases), "share": c.share} for c in reversed(overview.cohorts)],
        },
        "trend": {
            "names": list(trend_names),
            "labels": [t.label for t in overview.trend],
            "flagged": [point(t.flagged) for t in overview.trend],
            "new_cases": [point(t.new_cases) for t in overview.trend],
        },
    }


__all__ = ["Counts", "Figure", "Hidden", "Labels", "Overview", "build", "chart_data"]
