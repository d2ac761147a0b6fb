"""Read an uploaded spreadsheet once, into a plain UTF-8 CSV of text rows, safely.

`read_sheet` runs `sheetguard.check_file` in the calling process (streaming, one chunk in
memory), then does the reading itself in a child process whose address space is capped
(`ReadLimits.reader_memory_bytes`). Whatever a file does to the reader — a native allocation
of hundreds of gigabytes aborts calamine outright — only the child dies, and the caller turns
that into a message. Later steps (mapping preview, checks, apply) read the plain CSV, never
the upload again. The child imports no Django: `python -m jingzhun.core.sheetreader`.
"""

from __future__ import annotations

import csv
import json
import logging
import resource
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from jingzhun.core.sheetguard import MB, ReadLimits, check_file, too_many_rows
from jingzhun.core.tabular import (
    CSV_SUFFIXES,
    TableReadError,
    detect_encoding,
    iter_csv,
    open_excel,
    without_trailing_blank_rows,
)

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 25
PREVIEW_CELL_CHARS = 200
TIMEOUT_SECONDS = 900
_REFUSED = 2


@dataclass(frozen=True)
class SheetSummary:
    sheet_names: list[str]
    sheet: str
    rows: int
    columns: int
    encoding: str = ""
    notice: str = ""
    preview: list[list[str]] = field(default_factory=list)
    peak_kb: int = 0  # the reading child's peak resident memory


def read_sheet(
    source: Path,
    filename: str,
    sheet: str | None,
    target: Path,
    limits: ReadLimits | None = None,
) -> SheetSummary:
    """Check `source`, then write its rows to `target` in a capped child; raise TableReadError."""
    limits = limits or ReadLimits()
    check_file(source, filename, sheet, limits)
    request = {
        "source": str(source),
        "suffix": PurePosixPath(filename).suffix.lower(),
        "sheet": sheet,
        "target": str(target),
        "limits": asdict(limits),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "jingzhun.core.sheetreader"],
            input=json.dumps(request).encode(),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TableReadError(
            f"读取文件超过 {TIMEOUT_SECONDS // 60} 分钟仍未完成，已停止；请拆分后再导入"
        ) from exc
    return _summary(done, limits)


def _summary(done: subprocess.CompletedProcess[bytes], limits: ReadLimits) -> SheetSummary:
    if done.returncode in (0, _REFUSED):
        try:
            answer = json.loads(done.stdout)
        except ValueError:
            answer = {}
        if done.returncode == 0 and "sheet" in answer:
            return SheetSummary(**answer)
        if "error" in answer:
            raise TableReadError(answer["error"])
    logger.warning(
        "sheet reader exited with %s: %s",
        done.returncode,
        done.stderr.decode(errors="replace")[:500],
    )
    raise TableReadError(
        f"读取文件时超出 {limits.reader_memory_bytes // MB} MB 的内存上限或文件已损坏，已停止；"
        "请检查表格中是否有远处的内容、另存为新文件或拆分后再导入"
    )


# --- the child -------------------------------------------------------------------------------


def _cap_memory(limits: ReadLimits) -> None:
    cap = limits.reader_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def convert(request: dict[str, Any]) -> SheetSummary:
    limits = ReadLimits(**request["limits"])
    source, target = Path(request["source"]), Path(request["target"])
    if request["suffix"] in CSV_SUFFIXES:
        with source.open("rb") as handle:
            encoding, notice = detect_encoding(handle)
            rows = iter_csv(handle, encoding)
            count, width, preview = _write(without_trailing_blank_rows(rows), target, limits)
        return SheetSummary(["CSV"], "CSV", count, width, encoding, notice, preview)
    sheet = open_excel(source, request["sheet"])
    if sheet.rows > limits.max_lines:
        raise TableReadError(too_many_rows(sheet.rows, limits))
    if sheet.columns > limits.max_columns or sheet.cells > limits.max_cells:
        raise TableReadError(
            f"工作表有数据的区域为 {sheet.rows:,} 行 × {sheet.columns:,} 列，超过上限"
            f"（{limits.max_columns} 列、{limits.max_cells:,} 个单元格）；请删除远处的内容后再导入"
        )
    count, width, preview = _write(without_trailing_blank_rows(sheet.iter_rows()), target, limits)
    return SheetSummary(sheet.sheet_names, sheet.sheet, count, width, preview=preview)


def _write(
    rows: Iterator[list[str]], target: Path, limits: ReadLimits
) -> tuple[int, int, list[list[str]]]:
    count = width = 0
    preview: list[list[str]] = []
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, csv.excel)
        for row in rows:
            count += 1
            if count > limits.max_lines:
                raise TableReadError(too_many_rows(count, limits))
            if len(row) > limits.max_columns:
                raise TableReadError(
                    f"第 {count} 行有 {len(row):,} 列，超过上限 {limits.max_columns} 列"
                )
            width = max(width, len(row))
            if count <= PREVIEW_ROWS:
                preview.append([cell[:PREVIEW_CELL_CHARS] for cell in row])
            writer.writerow(row)
    return count, width, preview


def peak_kb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited at fork)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    _cap_memory(ReadLimits(**request["limits"]))
    try:
        summary = convert(request)
    except TableReadError as exc:
        json.dump({"error": str(exc)}, sys.stdout, ensure_ascii=False)
        return _REFUSED
    except MemoryError:
        return 3
    answer = asdict(summary) | {"peak_kb": peak_kb()}
    json.dump(answer, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
