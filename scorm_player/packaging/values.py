"""Tolerant reading of typed values (booleans, decimals, integers, vocabulary tokens).

cam-packaging.md §9: booleans are read case-insensitively (``True``, ``FALSE``, ``1``, ``0``);
a value we can default safely is defaulted with a ``BAD_VALUE`` warning that says where it was
and what was used instead. Whether an *unknown vocabulary token* can be defaulted is the
caller's decision (sequencing rule actions cannot, see ``sequencing_xml.py``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from scorm_player.packaging.report import Code, ImportReport

BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"[+-]?\d+")
_EXAMPLES = 5

D = TypeVar("D")


def parse_boolean(raw: str) -> bool | None:
    """``xs:boolean``, case-insensitively; None when it is not one."""
    return BOOLEANS.get(raw.strip().lower())


def parse_decimal(raw: str) -> float | None:
    """``xs:decimal`` (no exponent, no NaN); None when it is not one."""
    text = raw.strip()
    return float(text) if _DECIMAL.fullmatch(text) else None


def objective_identifier(raw: str | None) -> str | None:
    """An objective identifier (``xs:anyURI``) as the learner's objectives know it; None if empty.

    Authors percent-encode spaces (``obj%201``) and pad the attribute; the CTS (OB-02a/b,
    OB-11a, OB-12a) expects ``objectiveID``, ``referencedObjective`` and ``targetObjectiveID``
    to name the same objective once decoded, with runs of whitespace collapsed to one space,
    and content to see the decoded id in ``cmi.objectives.n.id``.
    """
    text = " ".join(unquote(raw or "").split())
    return text or None


def match_token(raw: str, vocabulary: Iterable[str]) -> str | None:
    """The vocabulary's spelling of ``raw``, compared case-insensitively; None if absent."""
    wanted = raw.strip().lower()
    return next((token for token in vocabulary if token.lower() == wanted), None)


@dataclass
class ValueReader:
    """Reads values for one manifest, reporting ``BAD_VALUE`` warnings against it."""

    report: ImportReport
    file: str

    def boolean(self, raw: str | None, default: bool, *, what: str, line: int | None) -> bool:
        if raw is None:
            return default
        value = parse_boolean(raw)
        if value is None:
            self._bad(raw, "a boolean (true or false)", default, what=what, line=line)
            return default
        return value

    def decimal(
        self,
        raw: str | None,
        default: D,
        *,
        what: str,
        line: int | None,
        low: float | None = None,
        high: float | None = None,
    ) -> float | D:
        if raw is None:
            return default
        value = parse_decimal(raw)
        too_low = value is not None and low is not None and value < low
        too_high = value is not None and high is not None and value > high
        if value is None or too_low or too_high:
            expected = "a decimal number"
            if low is not None and high is not None:
                expected += f" from {low:g} to {high:g}"
            self._bad(raw, expected, default, what=what, line=line)
            return default
        return value

    def integer(
        self, raw: str | None, default: D, *, what: str, line: int | None, minimum: int = 0
    ) -> int | D:
        if raw is None:
            return default
        text = raw.strip()
        if not _INTEGER.fullmatch(text) or int(text) < minimum:
            self._bad(raw, f"a whole number of at least {minimum}", default, what=what, line=line)
            return default
        return int(text)

    def token(
        self,
        raw: str | None,
        vocabulary: Iterable[str],
        default: D,
        *,
        what: str,
        line: int | None,
    ) -> str | D:
        """A vocabulary token we may default; a case slip is fixed with a warning."""
        if raw is None:
            return default
        words = list(vocabulary)
        value = match_token(raw, words)
        if value is None:
            self._bad(raw, "one of " + ", ".join(words), default, what=what, line=line)
            return default
        if value != raw.strip():
            self.warn(f"{what}: '{raw}' was read as '{value}'.", line=line)
        return value

    def warn(self, message: str, *, line: int | None, hint: str | None = None) -> None:
        self.report.warning(Code.BAD_VALUE, message, file=self.file, line=line, hint=hint)

    def _bad(
        self, raw: str, expected: str, default: object, *, what: str, line: int | None
    ) -> None:
        used = "no value" if default is None else f"the default '{_show(default)}'"
        self.warn(f"{what}: '{raw}' is not {expected}; {used} was used instead.", line=line)


@dataclass
class Tally:
    """Occurrences of one kind of small problem, reported as a single warning."""

    code: Code
    places: dict[str, int | None] = field(default_factory=dict)  # label -> first line

    def add(self, label: str, line: int | None) -> None:
        self.places.setdefault(label, line)

    def report(self, report: ImportReport, file: str, message: str, hint: str) -> None:
        """``message`` is formatted with ``{count}`` and ``{examples}``."""
        if not self.places:
            return
        labels = list(self.places)
        examples = ", ".join(labels[:_EXAMPLES]) + (", ..." if len(labels) > _EXAMPLES else "")
        report.warning(
            self.code,
            message.format(count=len(labels), examples=examples),
            file=file,
            line=self.places[labels[0]],
            hint=hint,
        )


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
