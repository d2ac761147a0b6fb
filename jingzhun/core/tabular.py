"""Read spreadsheets the way college offices actually produce them, as rows of text.

.xlsx and .xls go through calamine (formula cells give their cached values, hidden columns
come along and are simply not mapped). CSV is decoded as UTF-8 (with or without BOM) or,
failing that, GB18030 — what Chinese Excel writes under "CSV". Every cell comes back as text:
whole numbers without ".0", dates as ISO dates, so student and ID numbers never become floats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
_SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\ufeff": ""})


class TableReadError(ValueError):
    """The file cannot be read as a table at all (wrong type, corrupt, password)."""


@dataclass(frozen=True)
class Table:
    sheet_names: list[str]
    sheet: str
    rows: list[list[str]]
    encoding: str = ""


def cell_text(value: object) -> str:
    if type(value) is str:
        return value.translate(_SPACES).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # Beyond 15 significant digits Excel has already lost the number (an ID number typed
        # into a number cell); keep Excel's own rendering so validation can say so.
        return f"{value:.15g}".upper()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).translate(_SPACES).strip()


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty cells of each row and trailing empty rows."""
    trimmed = []
    for row in rows:
        end = len(row)
        while end and not row[end - 1]:
            end -= 1
        trimmed.append(row[:end])
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise TableReadError("文件编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV") from exc


def read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell_text(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    return Table(sheet_names=["CSV"], sheet="CSV", rows=_trim(rows), encoding=encoding)


def read_excel(data: bytes, sheet: str | None = None) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise TableReadError(f"无法读取 Excel 文件：{exc}") from exc
    visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
    names = visible or workbook.sheet_names
    if not names:
        raise TableReadError("Excel 文件中没有工作表")
    chosen = sheet if sheet in workbook.sheet_names else names[0]
    raw = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    rows = [[cell_text(c) for c in row] for row in raw]
    return Table(sheet_names=names, sheet=chosen, rows=_trim(rows))


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return read_excel(data, sheet)
    if suffix in CSV_SUFFIXES:
        return read_csv(data)
    raise TableReadError(f"不支持的文件类型 {suffix or '(无扩展名)'}：请上传 .xlsx、.xls 或 .csv")
