"""Text encodings of exported files: UTF-8 (with or without BOM) or GB18030.

Chinese campus systems and Excel save CSV as GB18030/GBK; DuckDB reads only UTF-8 here (its
`encodings` extension would need a download), so GB18030 files are transcoded once, streaming.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from typing import Literal

Encoding = Literal["utf-8", "gb18030"]
SNIFF_BYTES = 1 << 20
CHUNK_BYTES = 1 << 24
UTF8_BOM = codecs.BOM_UTF8


class EncodingError(ValueError):
    """The file is neither UTF-8 nor GB18030."""


def detect_encoding(path: Path) -> Encoding:
    """Guess from the first megabyte: valid UTF-8 (or a BOM) means UTF-8, else GB18030.

    GB18030 decodes almost any byte string, so UTF-8 must be tried first. A file that is
    UTF-8 at the start and not later is caught by DuckDB and re-read as GB18030.
    """
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(UTF8_BOM):
        return "utf-8"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return encoding  # type: ignore[return-value]
    raise EncodingError(f"{path.name} is neither UTF-8 nor GB18030 text")


def transcode_to_utf8(source: Path, target: Path, encoding: Encoding) -> Path:
    """Stream `source` in `encoding` into a UTF-8 copy at `target`."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with source.open("rb") as reader, target.open("w", encoding="utf-8") as writer:
            while chunk := reader.read(CHUNK_BYTES):
                writer.write(decoder.decode(chunk))
            writer.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{source.name} is not valid {encoding}: {exc.reason}") from exc
    return target


def file_sha256(path: Path) -> str:
    """Content hash of a file: the identity of an import, whatever the file is called."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
