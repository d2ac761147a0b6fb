"""Read spreadsheets the way college offices actually produce them, as rows of text.

.xlsx and .xls go through calamine (formula cells give their cached values, hidden columns
come along and are simply not mapped). CSV is decoded as UTF-8 (with or without BOM) or,
failing that, GB18030 — what Chinese Excel writes under "CSV"; a traditional-Chinese Big5
file is recognised and read as Big5 with a notice. Every cell comes back as text: whole numbers
without ".0", dates as ISO dates, so student and ID numbers never become floats.

Files from users are never read here directly: `jingzhun.core.sheetreader` first checks them
against `ReadLimits` (`jingzhun.core.sheetguard`) and reads them in a memory-capped child
process. This module is the reading itself, streaming rows so memory stays bounded.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
# Text tables: CSV, and JSON lines (one object a line, what scrapers and exports write).
CSV_SUFFIXES = {".csv", ".txt", ".jsonl", ".ndjson"}
_SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\ufeff": ""})
_CHUNK = 1 << 20
_SNIFF_CHARS = 20000
# Share of non-ASCII characters a Chinese text decoded with the right codec has in GB2312
# (names with rare characters are the exception); Big5 bytes read as GB18030 fall far below.
_GB2312_SHARE = 0.9
_MIN_SAMPLE = 8


class TableReadError(ValueError):
    """The file cannot be read as a table at all (wrong type, corrupt, too large, password)."""


@dataclass(frozen=True)
class Table:
    sheet_names: list[str]
    sheet: str
    rows: list[list[str]]
    encoding: str = ""
    notice: str = ""


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


def trim_row(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1]:
        end -= 1
    return row[:end]


def without_trailing_blank_rows(rows: Iterable[list[str]]) -> Iterator[list[str]]:
    """Rows with trailing empty cells cut; empty rows kept only when a non-empty one follows."""
    pending = 0
    for row in rows:
        trimmed = trim_row(row)
        if not trimmed:
            pending += 1
            continue
        for _ in range(pending):
            yield []
        pending = 0
        yield trimmed


# --- CSV -------------------------------------------------------------------------------------


def _decodes_whole(handle: IO[bytes], encoding: str) -> bool:
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _gb2312_share(text: str) -> float:
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if len(wide) < _MIN_SAMPLE:
        return 1.0
    common = sum(1 for c in wide if _in_gb2312(c))
    return common / len(wide)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def detect_encoding(handle: IO[bytes]) -> tuple[str, str]:
    """(encoding, notice): UTF-8 (BOM or not), GB18030, or Big5 with a notice; else refuse."""
    handle.seek(0)
    head = handle.read(3)
    if head == codecs.BOM_UTF8:
        if _decodes_whole(handle, "utf-8"):
            return "utf-8-sig", ""
    elif _decodes_whole(handle, "utf-8"):
        return "utf-8", ""
    handle.seek(0)
    sample = handle.read(64 * 1024)
    gb_ok = _decodes_whole(handle, "gb18030")
    if gb_ok and _gb2312_share(sample.decode("gb18030", errors="ignore")) >= _GB2312_SHARE:
        return "gb18030", ""
    if _decodes_whole(handle, "big5hkscs"):
        big5 = sample.decode("big5hkscs", errors="ignore")
        # Traditional characters are mostly outside GB2312 too; what tells Big5 apart is
        # that it decodes to hanzi rather than kana, private-use and rare symbols.
        if _hanzi_share(big5) >= _GB2312_SHARE:
            return "big5hkscs", "文件为繁体中文 Big5 编码，已按 Big5 读取；繁体表头需要手动对应列"
    if gb_ok:
        return "gb18030", ""
    raise TableReadError("文件编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV")


def _hanzi_share(text: str) -> float:
    wide = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if len(wide) < _MIN_SAMPLE:
        return 0.0
    hanzi = sum(
        1
        for c in wide
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    return hanzi / len(wide)


def decode_text(data: bytes) -> tuple[str, str]:
    encoding, _notice = detect_encoding(io.BytesIO(data))
    return data.decode(encoding), encoding


def iter_csv(handle: IO[bytes], encoding: str) -> Iterator[list[str]]:
    """Stream the rows of a CSV file (any of , ; tab | as delimiter), cells as text."""
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    sample = text.read(_SNIFF_CHARS)
    if sample.lstrip().startswith("{"):
        text.detach()
        yield from iter_json_lines(handle, encoding)
        return
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    text.seek(0)
    reader = csv.reader(text, dialect)
    try:
        for row in reader:
            yield [cell_text(c) for c in row]
    except csv.Error as exc:
        raise TableReadError(f"第 {reader.line_num} 行无法解析：{exc}") from exc
    finally:
        text.detach()


MAX_JSON_KEYS = 256


def iter_json_lines(handle: IO[bytes], encoding: str) -> Iterator[list[str]]:
    """JSON lines as a table: a header of the keys in the order they first appear (one pass
    to collect them), then each object's values as text; lists are joined with newlines,
    nested objects kept as JSON. A line that is not an object is refused with its number."""
    keys: dict[str, None] = {}
    for number, obj in _json_objects(handle, encoding):
        keys.update(dict.fromkeys(str(k) for k in obj))
        if len(keys) > MAX_JSON_KEYS:
            raise TableReadError(f"第 {number} 行：JSON 的字段超过 {MAX_JSON_KEYS} 个")
    header = list(keys)
    yield header
    for _number, obj in _json_objects(handle, encoding):
        yield [_json_cell(obj.get(k)) for k in header]


def _json_objects(handle: IO[bytes], encoding: str) -> Iterator[tuple[int, dict[str, object]]]:
    import json

    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        for number, line in enumerate(text, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as exc:
                raise TableReadError(f"第 {number} 行不是有效的 JSON：{exc}") from exc
            if not isinstance(obj, dict):
                raise TableReadError(f"第 {number} 行不是 JSON 对象")
            yield number, obj
    finally:
        text.detach()


def _json_cell(value: object) -> str:
    import json

    if isinstance(value, list):
        return "\n".join(_json_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)


def iter_rows_file(handle: IO[bytes]) -> Iterator[list[str]]:
    """The rows of a file written by `write_rows_file`: plain UTF-8 CSV, no guessing."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    try:
        yield from csv.reader(text, csv.excel)
    finally:
        text.detach()


# --- Excel -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExcelSheet:
    sheet_names: list[str]
    sheet: str
    rows: int  # bounding box of the used cells, counted from A1
    columns: int
    cells: int  # what the reader holds in memory for the sheet
    _sheet: object

    def iter_rows(self) -> Iterator[list[str]]:
        sheet = self._sheet
        lead = [""] * sheet.start[1] if sheet.start else []  # type: ignore[attr-defined]
        for row in sheet.iter_rows():  # type: ignore[attr-defined]
            yield [*lead, *(cell_text(c) for c in row)]


def open_excel(path: Path, sheet: str | None = None) -> ExcelSheet:
    """Open one sheet (the first visible one unless named). Loads its cell range into memory."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
        names = visible or workbook.sheet_names
        if not names:
            raise TableReadError("Excel 文件中没有工作表")
        chosen = sheet if sheet in workbook.sheet_names else names[0]
        loaded = workbook.get_sheet_by_name(chosen)
    except (CalamineError, ValueError, OSError) as exc:
        raise TableReadError(f"无法读取 Excel 文件：{exc}") from exc
    end = loaded.end
    if loaded.start is None or end is None:
        return ExcelSheet(names, chosen, 0, 0, 0, loaded)
    rows, columns = end[0] + 1, end[1] + 1
    return ExcelSheet(names, chosen, rows, columns, loaded.height * loaded.width, loaded)


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Table:
    """A whole small file in memory, through the same checks and capped reader as imports."""
    import tempfile

    from jingzhun.core.sheetreader import read_sheet

    with tempfile.TemporaryDirectory(prefix="jingzhun-table-") as folder:
        source = Path(folder) / f"source{Path(filename).suffix.lower()}"
        source.write_bytes(data)
        target = Path(folder) / "rows.csv"
        summary = read_sheet(source, filename, sheet, target)
        with target.open("rb") as handle:
            rows = list(iter_rows_file(handle))
    return Table(summary.sheet_names, summary.sheet, rows, summary.encoding, summary.notice)
