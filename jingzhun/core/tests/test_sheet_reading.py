"""The guarded reader: hostile files refused before they are read, real ones read as text."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from jingzhun.core.sheetguard import MB, ReadLimits, check_file
from jingzhun.core.sheetreader import read_sheet
from jingzhun.core.tabular import TableReadError, read_table
from jingzhun.core.tests.hostile import far_cell_xls, newline_csv, two_cell_xlsx, zip_bomb_xlsx


def xlsx_bytes(
    header: list[str], rows: list[Any], title: str = "", trailing_blank_rows: int = 0
) -> bytes:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    lines = ([[title]] if title else []) + [header] + rows
    for r, row in enumerate(lines):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, value)
    for extra in range(trailing_blank_rows):
        sheet.write_blank(len(lines) + extra, 0, None)
    book.close()
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: list[list[str]], *, encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join(row) for row in [header, *rows]) + "\r\n"
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_two_cells_spanning_the_whole_grid_are_refused_from_their_positions(tmp_path):
    path = write(tmp_path, "a.xlsx", two_cell_xlsx())
    assert path.stat().st_size < 8 * 1024
    with pytest.raises(TableReadError) as exc:
        check_file(path, "a.xlsx", None, ReadLimits())
    assert (
        str(exc.value)
        == "文件有 1,048,576 行，超过每次导入 200,000 行的上限；请拆分成几个文件后再导入"
    )


def test_a_sheet_too_wide_is_refused_naming_its_last_column(tmp_path):
    data = xlsx_bytes(["学号"] + [f"c{i}" for i in range(299)], [["2024010001"]])
    path = write(tmp_path, "wide.xlsx", data)
    with pytest.raises(TableReadError) as exc:
        check_file(path, "wide.xlsx", None, ReadLimits())
    assert str(exc.value) == (
        "工作表有数据的区域宽达 300 列（最后一列 KN），超过上限 256 列；请删除表格右侧远处的内容后再导入"
    )


def test_a_newline_csv_is_refused_by_counting_lines(tmp_path):
    path = write(tmp_path, "n.csv", newline_csv(49 * MB))
    with pytest.raises(TableReadError) as exc:
        read_sheet(path, "n.csv", None, tmp_path / "rows.csv")
    assert str(exc.value).startswith("文件有 51,380,224 行，超过每次导入 200,000 行的上限")
    assert not (tmp_path / "rows.csv").exists()


def test_a_zip_bomb_is_refused_by_its_unzipped_size(tmp_path):
    path = tmp_path / "bomb.xlsx"
    zip_bomb_xlsx(path, 40 * MB)
    assert path.stat().st_size < MB
    with pytest.raises(TableReadError) as exc:
        check_file(path, "bomb.xlsx", None, ReadLimits(max_unzipped_bytes=32 * MB))
    assert "解压后超过 40 MB（上限 32 MB）" in str(exc.value)


def test_a_reader_over_its_memory_cap_dies_alone_and_the_caller_gets_a_message(tmp_path):
    path = write(tmp_path, "far.xls", far_cell_xls())
    with pytest.raises(TableReadError) as exc:
        read_sheet(
            path, "far.xls", None, tmp_path / "rows.csv", ReadLimits(reader_memory_bytes=300 * MB)
        )
    assert str(exc.value).startswith("读取文件时超出 300 MB 的内存上限或文件已损坏，已停止")


def test_formatting_far_away_is_not_data(tmp_path):
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["学号", "姓名"])
    sheet.write_blank(1048575, 16383, None, book.add_format({"bold": True}))
    book.close()
    path = write(tmp_path, "f.xlsx", buffer.getvalue())
    summary = read_sheet(path, "f.xlsx", None, tmp_path / "rows.csv")
    assert (summary.rows, summary.columns, rows_of(tmp_path / "rows.csv")) == (
        1,
        2,
        [["学号", "姓名"]],
    )


def test_cells_without_positions_are_placed_as_the_reader_places_them(tmp_path):
    """Rare writers omit `r`; the exact scan counts them one after another."""
    from jingzhun.core.sheetguard import _scan_exact, _scan_refs

    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row><c><v>1</v></c><c><v>2</v></c></row><row r="9"><c><v>3</v></c></row>'
        b'<row><c r="D12" s="1"/><c r="C12"><v>4</v></c></row></sheetData></worksheet>'
    )
    assert _scan_refs(iter([sheet])) is None
    used = _scan_exact(iter([sheet[:50], sheet[50:]]))
    assert (used.rows, used.columns) == (12, 3)


def test_a_real_roster_is_read_once_with_a_preview(tmp_path):
    header = ["学号", "姓名", "身份证号"]
    rows = [["2024010001", "张三", "410102200501011234"], ["2024010002", "李四", None]]
    path = write(
        tmp_path, "r.xlsx", xlsx_bytes(header, rows, title="2024级花名册", trailing_blank_rows=5)
    )
    summary = read_sheet(path, "r.xlsx", None, tmp_path / "rows.csv")
    assert (summary.sheet_names, summary.sheet, summary.rows, summary.columns) == (
        ["Sheet1"], "Sheet1", 4, 3,
    )  # fmt: skip
    assert summary.preview == [["2024级花名册"], header, rows[0], ["2024010002", "李四"]]
    assert rows_of(tmp_path / "rows.csv") == summary.preview
    assert 0 < summary.peak_kb < 1024 * 1024


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_chinese_csv_encodings_are_recognised(tmp_path, encoding, expected):
    data = csv_bytes(
        ["学号", "姓名", "班级"], [["2024010001", "欧阳娜娜", "计应2401"]] * 3, encoding=encoding
    )
    summary = read_sheet(write(tmp_path, "a.csv", data), "a.csv", None, tmp_path / "rows.csv")
    assert (summary.encoding, summary.notice) == (expected, "")
    assert rows_of(tmp_path / "rows.csv")[1] == ["2024010001", "欧阳娜娜", "计应2401"]


def test_a_big5_csv_is_read_as_big5_with_a_notice_not_as_gb18030(tmp_path):
    data = csv_bytes(
        ["學號", "姓名", "性別", "班級"],
        [
            ["2024010001", "陳大文", "男", "資訊工程一班"],
            ["2024010002", "林美麗", "女", "會計學系二班"],
        ],
        encoding="big5",
    )
    assert data.decode("gb18030").startswith("厩腹")  # what reading it as GB18030 used to give
    summary = read_sheet(write(tmp_path, "b.csv", data), "b.csv", None, tmp_path / "rows.csv")
    assert summary.encoding == "big5hkscs"
    assert summary.notice == "文件为繁体中文 Big5 编码，已按 Big5 读取；繁体表头需要手动对应列"
    assert rows_of(tmp_path / "rows.csv")[:2] == [
        ["學號", "姓名", "性別", "班級"], ["2024010001", "陳大文", "男", "資訊工程一班"],
    ]  # fmt: skip


def test_read_table_goes_through_the_same_checks():
    with pytest.raises(TableReadError):
        read_table(two_cell_xlsx(), "a.xlsx")
    table = read_table(csv_bytes(["学号"], [["1"]]), "a.csv")
    assert table.rows == [["学号"], ["1"]]
