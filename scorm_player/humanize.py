"""Numbers for people: the CLI and the web pages show sizes the same way."""

from __future__ import annotations

_UNITS = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024))


def file_size(count: int) -> str:
    """``1536`` -> ``"1.5 KB"`` (binary multiples, the way file managers count)."""
    for unit, factor in _UNITS:
        if count >= factor:
            return f"{count / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{count} byte{'s' if count != 1 else ''}"
