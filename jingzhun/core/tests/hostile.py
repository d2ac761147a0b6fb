"""Files built to hurt a spreadsheet reader, for tests and the memory benchmark.

Each is what a user with an import right can upload: tiny on the wire, enormous once read.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import xlsxwriter

MB = 1024 * 1024


def two_cell_xlsx() -> bytes:
    """1.6 KB: cells in A1 and XFD1048576, so the used range is the whole grid (2^34 cells)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "学号")
    sheet.write_string(1048575, 16383, "x")
    book.close()
    return buffer.getvalue()


def newline_csv(size: int) -> bytes:
    """`size` bytes of line breaks: as many rows as bytes."""
    return b"\n" * size


def zip_bomb_xlsx(path: Path, unzipped: int) -> None:
    """A valid workbook whose sheet decompresses to `unzipped` bytes (blank padding inside it).

    Written streaming, so building a gigabyte sheet needs no gigabyte of memory.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write_row(0, 0, ["学号", "姓名"])
    book.close()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as small,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for item in small.infolist():
            data = small.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, data)
                continue
            head, _, tail = data.partition(b"</sheetData>")
            with bomb.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head)
                block = b" " * MB
                for _ in range(unzipped // MB):
                    sheet.write(block)
                sheet.write(b"</sheetData>" + tail)


def far_cell_xls() -> bytes:
    """A legacy .xls with cells in A1 and IV65536: 16.7 million cells for the reader."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("学生名单")
    sheet.write(0, 0, "学号")
    sheet.write(65535, 255, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
