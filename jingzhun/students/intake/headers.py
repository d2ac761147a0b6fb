"""Find the header row under any title rows and map its columns to fields."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jingzhun.students.intake.kinds import KindSpec

_NOISE = re.compile(r"[\s*＊:：_\-]|[（(][^）)]*[）)]")
HEADER_SCAN_ROWS = 15


def normalise_header(text: str) -> str:
    """`* 学 号（必填）` → `学号`: width-folded, lower case, no spaces, stars or notes."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _NOISE.sub("", folded)


def synonym_index(kind: KindSpec) -> dict[str, str]:
    index: dict[str, str] = {}
    for spec in kind.fields:
        for synonym in (spec.label, *spec.synonyms):
            index.setdefault(normalise_header(synonym), spec.name)
    return index


@dataclass(frozen=True)
class HeaderGuess:
    row: int  # 0-based index of the header row
    mapping: dict[int, str]  # column index → field name
    headers: list[str]


def suggest_mapping(
    headers: list[str], kind: KindSpec, saved: dict[str, str] | None = None
) -> dict[int, str]:
    """Map columns by a saved mapping (header text → field) first, then by synonyms.

    A field is mapped at most once: the leftmost matching column wins, so a second 电话
    column (parents' phone, usually) is left unmapped rather than overwriting the first.
    """
    index = synonym_index(kind)
    saved_index = {normalise_header(h): f for h, f in (saved or {}).items() if f in kind.by_name}
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for column, header in enumerate(headers):
        key = normalise_header(header)
        name = saved_index.get(key) or index.get(key)
        if name and name not in used:
            mapping[column] = name
            used.add(name)
    return mapping


def detect_header(
    rows: list[list[str]], kind: KindSpec, saved: dict[str, str] | None = None
) -> HeaderGuess:
    """The row among the first few that maps the most fields (title rows map none)."""
    best = HeaderGuess(row=0, mapping={}, headers=rows[0] if rows else [])
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping = suggest_mapping(row, kind, saved)
        if len(mapping) > len(best.mapping):
            best = HeaderGuess(row=index, mapping=mapping, headers=row)
    return best


def missing_required(mapping: dict[int, str], kind: KindSpec) -> list[str]:
    mapped = set(mapping.values())
    return [spec.label for spec in kind.fields if spec.required and spec.name not in mapped]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class UnusedColumn:
    letter: str
    header: str


def unused_columns(
    headers: Sequence[str], mapping: Mapping[int, str], rows: Sequence[Sequence[str]] = ()
) -> list[UnusedColumn]:
    """Columns of the file that no field reads, so the page can say they are ignored.

    A column counts when it has a header or a value in `rows`; a blank column does not.
    """
    width = max([len(headers), *(len(r) for r in rows)], default=0)
    unused = []
    for column in range(width):
        if column in mapping:
            continue
        header = headers[column].strip() if column < len(headers) else ""
        if header or any(column < len(r) and r[column].strip() for r in rows):
            unused.append(UnusedColumn(column_letter(column), header))
    return unused
