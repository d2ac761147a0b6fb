"""The event lake: immutable Parquet partitions per source and month, and a manifest.

Layout under the root folder::

    source=card/month=2014-09/part-<hash>.parquet   one file per imported file and month
    _manifest.json                                  what was imported, by content hash
    _rejects/<source>-<hash>.csv                    rows that could not be read, with line numbers
    _staging/                                       scratch space of an import in progress

Files are only ever added. An import writes into `_staging/` and moves its files into place
before it records itself in the manifest, so an interrupted import leaves files the manifest
does not know; the next import of the same file removes them first and starts again.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

MANIFEST_NAME = "_manifest.json"
LOCK_NAME = "_manifest.lock"
STAGING_NAME = "_staging"
REJECTS_NAME = "_rejects"
MONTH_PREFIX = "month="
"""Names a month partition's folder: `month=2014-09`."""
HASH_IN_NAME = 16
"""Hex digits of the content hash used in file names: unique enough, short enough to read."""


class LakeError(Exception):
    """The lake cannot serve a request (e.g. a source has no data yet)."""


@dataclass(frozen=True)
class ManifestEntry:
    """One imported file."""

    source: str
    sha256: str
    file_name: str
    imported_at: str
    rows: int
    rejected: int
    files: tuple[str, ...]
    """Parquet files written, relative to the lake root."""

    @property
    def months(self) -> tuple[str, ...]:
        """The month partitions this import wrote, from its file paths."""
        months = {
            part.removeprefix(MONTH_PREFIX)
            for file in self.files
            for part in Path(file).parts
            if part.startswith(MONTH_PREFIX)
        }
        return tuple(sorted(months))


def part_name(sha256: str) -> str:
    return f"part-{sha256[:HASH_IN_NAME]}.parquet"


@dataclass(frozen=True)
class Lake:
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def at(cls, root: str | Path) -> Lake:
        path = Path(root)
        path.mkdir(parents=True, exist_ok=True)
        return cls(path)

    def source_dir(self, source: str) -> Path:
        return self.root / f"source={source}"

    def partition_dir(self, source: str, month: str) -> Path:
        return self.source_dir(source) / f"{MONTH_PREFIX}{month}"

    def part_files(self, source: str) -> list[Path]:
        return sorted(self.source_dir(source).glob(f"{MONTH_PREFIX}*/*.parquet"))

    def require_files(self, source: str) -> list[Path]:
        files = self.part_files(source)
        if not files:
            raise LakeError(f"the lake at {self.root} has no {source!r} events yet")
        return files

    @property
    def staging(self) -> Path:
        return self.root / STAGING_NAME

    @property
    def rejects(self) -> Path:
        return self.root / REJECTS_NAME

    # manifest ---------------------------------------------------------------------------

    def entries(self) -> list[ManifestEntry]:
        path = self.root / MANIFEST_NAME
        if not path.exists():
            return []
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [ManifestEntry(**{**item, "files": tuple(item["files"])}) for item in raw]

    def find(self, source: str, sha256: str) -> ManifestEntry | None:
        """The import of this source with this content hash, if any."""
        return next((e for e in self.entries() if e.source == source and e.sha256 == sha256), None)

    def find_named(self, source: str, file_name: str) -> ManifestEntry | None:
        """The (first) import of this source recorded under this name, if any."""
        return next(
            (e for e in self.entries() if e.source == source and e.file_name == file_name), None
        )

    def _write_entries(self, entries: list[ManifestEntry]) -> None:
        path = self.root / MANIFEST_NAME
        tmp = path.with_suffix(".json.tmp")
        payload = [asdict(entry) for entry in entries]
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One import at a time per lake (an advisory lock on a file in the root)."""
        with open(self.root / LOCK_NAME, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # writing ----------------------------------------------------------------------------

    @contextmanager
    def staging_area(self, sha256: str) -> Iterator[Path]:
        folder = self.staging / sha256[:HASH_IN_NAME]
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            if not any(self.staging.iterdir()):
                self.staging.rmdir()

    def remove_orphans(self, source: str, sha256: str) -> list[Path]:
        """Delete files of an earlier, interrupted import of this very file."""
        orphans = [p for p in self.part_files(source) if p.name == part_name(sha256)]
        for path in orphans:
            path.unlink()
        return orphans

    def publish(
        self,
        *,
        source: str,
        sha256: str,
        file_name: str,
        staged: Mapping[str, Path],
        rows: int,
        rejected: int,
    ) -> ManifestEntry:
        """Move staged month files into their partitions, then record the import."""
        written = []
        for month, staged_file in sorted(staged.items()):
            target = self.partition_dir(source, month) / part_name(sha256)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged_file, target)
            written.append(str(target.relative_to(self.root)))
        entry = ManifestEntry(
            source=source,
            sha256=sha256,
            file_name=file_name,
            imported_at=datetime.now(UTC).isoformat(timespec="seconds"),
            rows=rows,
            rejected=rejected,
            files=tuple(written),
        )
        self._write_entries([*self.entries(), entry])
        return entry
