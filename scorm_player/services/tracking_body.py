"""Commit bodies as the page sends them (docs/runtime-protocol.md section 3, "Encoding and parts").

- :func:`decode`: a request body is the commit's JSON text (UTF-8), or :data:`DEFLATE_MARKER`
  followed by the raw DEFLATE (RFC 1951) of that text; ``static/js/scorm-api.js`` deflates
  bodies over 16 KiB. The marker stands in for a ``Content-Encoding`` header, which
  ``sendBeacon`` cannot set. Decoding stops at :data:`MAX_DECODED_BYTES`, so a small body
  cannot expand into a large one (:class:`BodyTooLarge`).
- :func:`read_changes` and :func:`assemble`: a change is ``[element, value]``, or
  ``[element, chunk, "+"]``, which appends ``chunk`` to the value of the change just before
  it (same element), possibly the last change of the previous part: that is how a value too
  long for one part travels in several.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from scorm_player.services.errors import InvalidInput

DEFLATE_MARKER = b"\xffdeflate-raw\n"  # 0xFF never starts UTF-8 text, so never a JSON body
MAX_DECODED_BYTES = 8 * 1024 * 1024
CONTINUES = "+"

Pair = tuple[str, str]


class BodyTooLarge(InvalidInput):
    """The body, or what it inflates to, is over the size the server accepts (413)."""


class Change(NamedTuple):
    """One change of a batch; ``continues``: ``value`` is the rest of the previous one's."""

    element: str
    value: str
    continues: bool = False

    def to_json(self) -> list[str]:
        """As the protocol writes it (and as a kept part stores it)."""
        marker = [CONTINUES] if self.continues else []
        return [self.element, self.value, *marker]


def decode(raw: bytes, limit: int = MAX_DECODED_BYTES) -> Any:
    """The JSON value a request body holds, plain or deflated.

    :raises BodyTooLarge: when the inflated text is over ``limit`` bytes (inflating stops
        there: ``zlib`` is never asked for more).
    :raises InvalidInput: for a damaged or truncated DEFLATE stream, or text that is not JSON.
    """
    text = raw
    if raw.startswith(DEFLATE_MARKER):
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            text = inflater.decompress(raw[len(DEFLATE_MARKER) :], limit + 1)
        except zlib.error:
            raise InvalidInput("The compressed body is not raw DEFLATE.") from None
        if len(text) > limit:
            raise BodyTooLarge(f"The body inflates to more than {limit} bytes.")
        if not inflater.eof or inflater.unused_data:
            raise InvalidInput("The compressed body is truncated or has bytes after its end.")
    try:
        return json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidInput("The body is not JSON.") from None


def read_changes(changes: Any) -> list[Change]:
    """A batch's (or part's) changes, checked: NUL characters (which neither PostgreSQL text
    nor JSONB can hold) become U+FFFD, lone surrogates are refused."""
    if not isinstance(changes, list | tuple):
        raise InvalidInput("changes must be a list.")
    read = []
    for change in changes:
        if (
            not isinstance(change, list | tuple)
            or len(change) not in (2, 3)
            or not all(isinstance(item, str) for item in change)
            or (len(change) == 3 and change[2] != CONTINUES)
        ):
            raise InvalidInput('Each change must be [element, value] or [element, chunk, "+"].')
        name, value = change[0], change[1]
        try:
            name.encode("utf-8")
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput("A change holds a lone surrogate, which is not text.") from None
        read.append(Change(name, value.replace("\x00", "\ufffd"), len(change) == 3))
    return read


def assemble(changes: Iterable[Change]) -> list[Pair]:
    """The batch as ``(element, value)`` pairs, each continuation appended to the change
    before it.

    :raises InvalidInput: for a continuation with no change before it, or another element.
    """
    pairs: list[Pair] = []
    chunks: list[str] = []  # of the last pair's value, joined once at the end
    for change in changes:
        if not change.continues:
            _close(pairs, chunks)
            pairs.append((change.element, ""))
            chunks = [change.value]
        elif pairs and pairs[-1][0] == change.element:
            chunks.append(change.value)
        else:
            raise InvalidInput(f"{change.element}: a continuation must follow its element.")
    _close(pairs, chunks)
    return pairs


def _close(pairs: list[Pair], chunks: Sequence[str]) -> None:
    if pairs:
        pairs[-1] = (pairs[-1][0], "".join(chunks))
