"""The one error type the domain raises; each app keeps an enum of its codes."""

from __future__ import annotations

from enum import StrEnum


class DomainError(Exception):
    """A rule of the domain was broken; `message` is user-facing (already translated)."""

    def __init__(self, code: StrEnum | str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
