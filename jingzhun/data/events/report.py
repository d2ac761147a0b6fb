"""What an import did, for the operator: counts, rejected rows with line numbers, files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported. `line` is the 1-based line (or sheet row) in the file."""

    line: int
    reason: str
    text: str | None


@dataclass(frozen=True)
class ImportReport:
    source: str
    file_name: str
    sha256: str
    already_imported: bool
    rows_read: int = 0
    imported: int = 0
    rejected: int = 0
    encoding: str | None = None
    months: tuple[str, ...] = ()
    rejected_examples: tuple[RejectedRow, ...] = field(default_factory=tuple)
    rejects_file: Path | None = None
    seconds: float = 0.0
