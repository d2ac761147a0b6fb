"""Checks a spreadsheet must pass before anything reads it in full.

A reader allocates for the bounding box of the cells it finds (calamine: 32 bytes a cell), so
an .xlsx of 1.6 KB with cells in A1 and XFD1048576 asks for 512 GiB; a zip of 6 MB can hold a
sheet of a gigabyte; a CSV of 49 MB of newlines is 49 million rows. Each is caught here from
what the file declares and from a streaming scan that holds one chunk at a time: file size,
unzipped size (counted while decompressing, not trusted from the zip directory), number of
lines, and the used range of the sheet that will be read. The messages are shown to the user.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.parsers import expat

from defusedxml import DefusedXmlException, ElementTree

from jingzhun.core.tabular import CSV_SUFFIXES, EXCEL_SUFFIXES, TableReadError

MB = 1024 * 1024
_CHUNK = 1 << 20
_ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_MAX_ZIP_ENTRIES = 10_000
# Rows a file may have beyond max_rows: title rows, header rows, notes under the table.
ROW_MARGIN = 100

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# A cell with a value is written `<c r="B7" ...>…</c>` (position first, as Excel, WPS and the
# common libraries write it); formatting-only cells are self-closing and the reader skips them.
_VALUED_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>/]*>')


@dataclass(frozen=True)
class ReadLimits:
    """What one import may hold. 100,000 rows × 20 columns is a large college's roster."""

    max_bytes: int = 50 * MB
    max_rows: int = 200_000
    max_columns: int = 256
    max_cells: int = 6_000_000  # the reader's dense range: 32 bytes a cell, about 190 MB
    max_unzipped_bytes: int = 400 * MB
    reader_memory_bytes: int = 1024 * MB  # address space of the reading child process

    @property
    def max_lines(self) -> int:
        return self.max_rows + ROW_MARGIN


def check_file(path: Path, filename: str, sheet: str | None, limits: ReadLimits) -> None:
    """Refuse a file whose size, type or shape exceeds the limits, without reading it in full."""
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in EXCEL_SUFFIXES | CSV_SUFFIXES:
        raise TableReadError(
            f"不支持的文件类型 {suffix or '(无扩展名)'}：请上传 .xlsx、.xls 或 .csv"
        )
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise TableReadError(
            f"文件有 {size / MB:.1f} MB，超过上限 {limits.max_bytes // MB} MB；请拆分后再导入"
        )
    if suffix in CSV_SUFFIXES:
        check_lines(path, limits)
    elif suffix in _ZIP_SUFFIXES:
        with _open_zip(path) as archive:
            check_unzipped_size(archive, limits)
            if suffix in _XLSX_SUFFIXES:
                part = xlsx_sheet_part(archive, sheet)
                if part is not None:
                    check_used_range(lambda: _stream(archive, part), limits)


def check_lines(path: Path, limits: ReadLimits) -> None:
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    lines += last != b"\n"
    if lines > limits.max_lines:
        raise TableReadError(too_many_rows(lines, limits))


def too_many_rows(rows: int, limits: ReadLimits) -> str:
    return (
        f"文件有 {rows:,} 行，超过每次导入 {limits.max_rows:,} 行的上限；请拆分成几个文件后再导入"
    )


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise TableReadError(f"无法读取 Excel 文件：{exc}") from exc


def check_unzipped_size(archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Declared sizes first (cheap), then the real ones by decompressing with a running cap."""
    entries = archive.infolist()
    if len(entries) > _MAX_ZIP_ENTRIES:
        raise TableReadError(f"Excel 文件包含 {len(entries):,} 个部件，结构异常，无法读取")
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_unzipped_bytes:
        raise TableReadError(_too_big_unzipped(declared, limits))
    total = 0
    for entry in entries:
        for chunk in _stream(archive, entry.filename):
            total += len(chunk)
            if total > limits.max_unzipped_bytes:
                raise TableReadError(_too_big_unzipped(total, limits))


def _too_big_unzipped(size: int, limits: ReadLimits) -> str:
    return (
        f"Excel 文件解压后超过 {size // MB:,} MB（上限 {limits.max_unzipped_bytes // MB} MB），"
        "可能是压缩炸弹或包含大量空白格式；请只保留数据另存后再导入"
    )


def _stream(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise TableReadError(f"无法读取 Excel 文件：{exc}") from exc


def xlsx_sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The zip member holding `sheet`, or the first visible sheet (what the reader opens)."""
    try:
        workbook = ElementTree.fromstring(_small_part(archive, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_small_part(archive, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, DefusedXmlException) as exc:
        raise TableReadError(f"无法读取 Excel 文件：{exc}") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    sheets = [
        (s.get("name"), s.get("state", "visible"), targets.get(s.get(f"{_NS_REL}id"), ""))
        for s in workbook.iter(f"{_NS_MAIN}sheet")
    ]
    chosen = [s for s in sheets if s[0] == sheet] or [s for s in sheets if s[1] == "visible"]
    chosen = chosen or sheets
    if not chosen:
        return None
    target = chosen[0][2].lstrip("/")
    part = target if target.startswith("xl/") else f"xl/{target}"
    return part if part in archive.namelist() else None


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > 8 * MB:
        raise TableReadError("Excel 文件的工作簿目录异常庞大，无法读取")
    return archive.read(name)


@dataclass
class UsedRange:
    rows: int = 0
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def check_used_range(stream: Callable[[], Iterator[bytes]], limits: ReadLimits) -> UsedRange:
    """Refuse a sheet whose cells with values span more rows, columns or cells than allowed."""
    used = _scan_refs(stream()) or _scan_exact(stream())
    if used.rows > limits.max_lines:
        raise TableReadError(too_many_rows(used.rows, limits))
    if used.columns > limits.max_columns:
        raise TableReadError(
            f"工作表有数据的区域宽达 {used.columns:,} 列（最后一列 {column_name(used.columns)}），"
            f"超过上限 {limits.max_columns} 列；请删除表格右侧远处的内容后再导入"
        )
    if used.cells > limits.max_cells:
        raise TableReadError(
            f"工作表有数据的区域为 {used.rows:,} 行 × {used.columns:,} 列，"
            f"超过 {limits.max_cells:,} 个单元格的上限；请删除远处的内容或拆分后再导入"
        )
    return used


def _scan_refs(chunks: Iterator[bytes]) -> UsedRange | None:
    """Bounding box from the cells' own references; None when the file is written otherwise.

    Counting stays in the regex engine (no Python step per cell), so 2 million cells take a
    fraction of a second. Files whose cells have no position, put it after other attributes or
    use a namespace prefix are rare; they are scanned exactly instead.
    """
    used = UsedRange()
    carry = b""
    opened = closed = 0  # a cell may open in one chunk and close in the next
    for chunk in itertools.chain(chunks, [b""]):
        data = carry + chunk
        cut = data.rfind(b"<") if chunk else len(data)
        data, carry = (data[:cut], data[cut:]) if cut >= 0 else (data, b"")
        refs = _VALUED_CELL_REF.findall(data)
        opened, closed = opened + len(refs), closed + data.count(b"</c>")
        if b":c>" in data:
            return None
        if refs:
            letters = {ref[0] for ref in refs}
            used.columns = max(used.columns, *(column_number(x.decode()) for x in letters))
            used.rows = max(used.rows, *(int(n) for n in {ref[1] for ref in refs}))
    return used if opened == closed else None


_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")


class _ExactScan:
    """Positions as the reader assigns them: a row or cell without `r` follows the previous."""

    def __init__(self) -> None:
        self.used = UsedRange()
        self.row = 0
        self.column = 0
        self.in_cell = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            self.row = (
                int(attrs["r"])
                if attrs.get("r", "").isascii() and attrs.get("r", "").isdigit()
                else self.row + 1
            )
            self.column = 0
        elif local == "c":
            match = _REF.match(attrs.get("r", ""))
            if match:
                self.column, self.row = column_number(match[1]), int(match[2])
            else:
                self.column += 1
            self.in_cell = True
        elif self.in_cell and local in {"v", "is", "f"}:
            self.used.rows = max(self.used.rows, self.row)
            self.used.columns = max(self.used.columns, self.column)

    def end(self, name: str) -> None:
        if name.rpartition(" ")[2] == "c":
            self.in_cell = False


def _refuse_doctype(*_args: object) -> None:
    raise TableReadError("Excel 工作表包含文档类型声明，结构异常，无法读取")


def _scan_exact(chunks: Iterator[bytes]) -> UsedRange:
    scan = _ExactScan()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise TableReadError(f"无法读取 Excel 工作表：{exc}") from exc
    return scan.used


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_name(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
