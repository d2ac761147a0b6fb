"""Build spreadsheets shaped like real office exports, for tests and benchmarks."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter

Cell = object  # str, int, float, date or None; anything else is written as text


def xlsx_bytes(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    title: str | None = None,
    hidden_columns: Sequence[int] = (),
    formulas: dict[tuple[int, int], tuple[str, Cell]] | None = None,
    trailing_blank_rows: int = 0,
    sheet: str = "Sheet1",
) -> bytes:
    """A workbook with an optional merged title row; text cells stay text, dates are dates.

    `formulas` maps (data row, column) → (formula, cached value), as Excel saves them.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet_ = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    top = 0
    if title:
        sheet_.merge_range(0, 0, 0, max(len(header) - 1, 1), title)
        top = 1
    sheet_.write_row(top, 0, list(header))
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet_.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, str):
                sheet_.write_string(r, c, value)
            else:
                sheet_.write_number(r, c, value)
    for (r, c), (formula, cached) in (formulas or {}).items():
        sheet_.write_formula(top + 1 + r, c, formula, None, cached)
    for c in hidden_columns:
        sheet_.set_column(c, c, None, None, {"hidden": True})
    for extra in range(trailing_blank_rows):
        sheet_.write_blank(top + 1 + len(rows) + extra, 0, None)
    book.close()
    return buffer.getvalue()


def csv_bytes(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], *, encoding: str = "utf-8"
) -> bytes:
    lines = [",".join(header)] + [
        ",".join("" if v is None else str(v) for v in row) for row in rows
    ]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def xls_bytes(
    header: Sequence[str], rows: Sequence[Sequence[Cell]], *, title: str | None = None
) -> bytes:
    """A legacy .xls (BIFF8) workbook, as older campus systems still export."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("学生名单")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    top = 0
    if title:
        sheet.write_merge(0, 0, 0, max(len(header) - 1, 1), title)
        top = 1
    for c, name in enumerate(header):
        sheet.write(top, c, name)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            elif value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
