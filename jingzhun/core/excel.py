"""Write .xlsx files that are safe to open: no cell ever becomes a formula.

Every string is written as a string; one that starts like a formula (= + - @, or a tab or
carriage return before one) also gets Excel's quote-prefix format, so it stays text even
when someone edits the cell later (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

import xlsxwriter
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def xlsx_export(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    title: str = "",
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F7"})
    quoted = book.add_format({"quote_prefix": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    top = 0
    if title:
        ws.write_string(0, 0, title, bold)
        top = 1
    for c, name in enumerate(header):
        ws.write_string(top, c, name, bold)
    widths = [max(6, len(h) * 2) for h in header]
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            _write(ws, r, c, value, quoted, date_format)
            widths[c] = min(40, max(widths[c], len(str(value or "")) + 2))
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    ws.freeze_panes(top + 1, 0)
    book.close()
    return buffer.getvalue()


def _write(ws: object, r: int, c: int, value: object, quoted: object, date_format: object) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否")  # type: ignore[attr-defined]
    elif isinstance(value, int | float | Decimal):
        ws.write_number(r, c, float(value))  # type: ignore[attr-defined]
    elif isinstance(value, dt.datetime):
        # Stored in UTC; the reader expects the wall-clock time the pages show.
        shown = timezone.localtime(value) if timezone.is_aware(value) else value
        ws.write_string(r, c, shown.strftime("%Y-%m-%d %H:%M"))  # type: ignore[attr-defined]
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)  # type: ignore[attr-defined]
    else:
        text = str(value)
        if is_formula_like(text):
            ws.write_string(r, c, text, quoted)  # type: ignore[attr-defined]
        else:
            ws.write_string(r, c, text)  # type: ignore[attr-defined]
