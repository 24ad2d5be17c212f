"""Send one file of a course version: validators, conditional and range requests, compression.

Course files never change (a new import is a new version folder), so every file gets a
strong ``ETag`` and ``Last-Modified`` from its path, size and modification time, and the
preconditions of RFC 9110 section 13.2.2 are evaluated in order: ``If-Match``,
``If-Unmodified-Since`` (412), ``If-None-Match``, ``If-Modified-Since`` (304), then
``If-Range`` and ``Range`` (206, 416).

Compression: a compressible type (text, scripts, JSON, XML, SVG, uncompressed fonts) of at
least :data:`MIN_COMPRESS_BYTES` is sent as ``br`` or ``gzip`` when the client accepts it,
never for a range request nor for media, with its own ``ETag`` (``"...-br"``) and
``Vary: Accept-Encoding``. The compressed bytes are kept per file and ``ETag`` in a bounded
LRU cache (:class:`CompressedCache`), so each file is compressed once per process.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Response, current_app, request
from werkzeug.http import http_date, parse_date, parse_etags
from werkzeug.wsgi import wrap_file

MIN_COMPRESS_BYTES = 1024  # below this the headers cost more than compression saves
MAX_COMPRESS_BYTES = 16 * 1024 * 1024  # larger files go out as they are, streamed
CACHE_BYTES = 64 * 1024 * 1024  # compressed bytes kept per process
MAX_RANGES = 16  # more distinct ranges than this and the Range header is ignored
CHUNK = 64 * 1024
BROTLI_QUALITY = 5  # on the fly: most of quality 11's gain at a fraction of its time
_CACHE_EXTENSION = "scorm_player.compressed"
_RANGE_SPEC = re.compile(r"^(\d+)-(\d*)$|^-(\d+)$")

ByteRange = tuple[int, int]  # first and last byte, inclusive, as Content-Range writes them


class Unsatisfiable(Exception):
    """No requested range overlaps the file (416)."""


@dataclass(frozen=True)
class FileInfo:
    """What the validators are made of."""

    path: Path
    size: int
    modified: int  # whole seconds, as Last-Modified can say
    tag: str  # the identity representation's opaque tag, without quotes

    @classmethod
    def of(cls, path: Path) -> FileInfo:
        stat = path.stat()
        digest = hashlib.blake2b(
            f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode(), digest_size=10
        )
        return cls(path, stat.st_size, int(stat.st_mtime), digest.hexdigest())


def send_file(
    path: Path, content_type: str, *, compressible: bool, cache_control: str
) -> Response:
    """The response for a GET or HEAD of the regular file ``path`` (already confined)."""
    info = FileInfo.of(path)
    coding = _coding(info, compressible)
    tag = f"{info.tag}-{_SUFFIX[coding]}" if coding else info.tag

    headers: dict[str, str] = {
        "Cache-Control": cache_control,
        "ETag": f'"{tag}"',
        "Last-Modified": http_date(info.modified),
        "Accept-Ranges": "bytes",
    }
    if compressible:
        headers["Vary"] = "Accept-Encoding"

    status = _preconditions(info, tag)
    if status is not None:
        return Response(status=status, headers=headers)

    ranges = _requested_ranges(info)
    if isinstance(ranges, Unsatisfiable):
        headers["Content-Range"] = f"bytes */{info.size}"
        return Response(status=416, headers=headers)
    if ranges:
        return _partial(info, ranges, content_type, headers)

    headers["Content-Type"] = content_type
    if coding:
        body = _compressed(info, coding)
        headers["Content-Encoding"] = coding
        headers["Content-Length"] = str(len(body))
        return Response(None if request.method == "HEAD" else body, headers=headers)
    headers["Content-Length"] = str(info.size)
    if request.method == "HEAD":  # None: no body, and the Content-Length above stays
        return Response(None, headers=headers)
    stream = wrap_file(request.environ, info.path.open("rb"), CHUNK)
    return Response(stream, headers=headers, direct_passthrough=True)


# --- conditional requests (RFC 9110 section 13) --------------------------------------------


def _preconditions(info: FileInfo, tag: str) -> int | None:
    """412 or 304 when a precondition says so (section 13.2.2's order), else None."""
    if_match = request.headers.get("If-Match")
    if if_match is not None:
        if not parse_etags(if_match).contains(tag):  # strong comparison
            return 412
    else:
        since = parse_date(request.headers.get("If-Unmodified-Since"))
        if since is not None and info.modified > since.timestamp():
            return 412
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        if parse_etags(if_none_match).contains_weak(tag):  # weak comparison
            return 304 if request.method in ("GET", "HEAD") else 412
    elif request.method in ("GET", "HEAD"):
        since = parse_date(request.headers.get("If-Modified-Since"))
        if since is not None and info.modified <= since.timestamp():
            return 304
    return None


# --- ranges (RFC 9110 section 14) -----------------------------------------------------------


def parse_ranges(header: str, size: int) -> list[ByteRange] | None:
    """The satisfiable byte ranges of a ``Range`` header, coalesced, in request order.

    None when the header must be ignored (section 14.2: another unit, an invalid
    ranges-specifier, or more than :data:`MAX_RANGES` distinct ranges: the whole file is
    sent instead). :raises Unsatisfiable: when no range-spec overlaps the file (416).
    """
    unit, equals, range_set = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    specs = [spec.strip(" \t") for spec in range_set.split(",")]
    wanted: list[tuple[int, int, int]] = []  # (first, last, position in the request)
    for position, spec in enumerate(s for s in specs if s):  # 1#range-spec allows empties
        match = _RANGE_SPEC.match(spec)
        if match is None:
            return None
        first_text, last_text, suffix_text = match.groups()
        try:
            if suffix_text is not None:  # suffix-range: the last N bytes
                length = int(suffix_text)
                if length > 0 and size > 0:
                    wanted.append((max(0, size - length), size - 1, position))
                continue
            first = int(first_text)
            last = int(last_text) if last_text else size - 1
        except ValueError:  # more digits than Python converts
            return None
        if last_text and last < first:
            return None  # invalid int-range: the whole specifier is invalid
        if first < size:
            wanted.append((first, min(last, size - 1), position))
    if not any(specs):
        return None
    if not wanted:
        raise Unsatisfiable()
    merged = _coalesce(wanted)
    if len(merged) > MAX_RANGES:
        return None
    return [(first, last) for first, last, _ in merged]


def _coalesce(wanted: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Merge overlapping and adjacent ranges (section 14.6 allows it); each merged range
    keeps the request position of its first range-spec, and parts follow that order."""
    merged: list[tuple[int, int, int]] = []
    for first, last, position in sorted(wanted):
        if merged and first <= merged[-1][1] + 1:
            top_first, top_last, top_position = merged[-1]
            merged[-1] = (top_first, max(top_last, last), min(top_position, position))
        else:
            merged.append((first, last, position))
    return sorted(merged, key=lambda item: item[2])


def _requested_ranges(info: FileInfo) -> list[ByteRange] | Unsatisfiable | None:
    """The ranges to send, None for the whole file, or Unsatisfiable (416)."""
    header = request.headers.get("Range")
    if header is None or request.method != "GET":  # Range is defined for GET only
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and not _if_range_holds(if_range.strip(), info):
        return None
    try:
        return parse_ranges(header, info.size)
    except Unsatisfiable as error:
        return error


def _if_range_holds(value: str, info: FileInfo) -> bool:
    """Section 13.1.5: a strong ETag equal to ours, or exactly our Last-Modified date."""
    if value.startswith(('"', "W/")):
        return value == f'"{info.tag}"'
    date = parse_date(value)
    return date is not None and int(date.timestamp()) == info.modified


def _partial(
    info: FileInfo, ranges: list[ByteRange], content_type: str, headers: dict[str, str]
) -> Response:
    """206: one range as is, several as ``multipart/byteranges`` (section 14.6)."""
    if len(ranges) == 1:
        first, last = ranges[0]
        headers.update({
            "Content-Type": content_type,
            "Content-Range": f"bytes {first}-{last}/{info.size}",
            "Content-Length": str(last - first + 1),
        })
        return Response(_read(info.path, ranges), status=206, headers=headers)
    boundary = secrets.token_hex(16)
    heads = [
        (f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
         f"Content-Range: bytes {first}-{last}/{info.size}\r\n\r\n").encode()
        for first, last in ranges
    ]
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = sum(len(h) for h in heads) + sum(b - a + 1 for a, b in ranges) + len(tail)
    headers.update({
        "Content-Type": f"multipart/byteranges; boundary={boundary}",
        "Content-Length": str(length),
    })
    return Response(_read(info.path, ranges, heads, tail), status=206, headers=headers)


def _read(
    path: Path, ranges: list[ByteRange], heads: list[bytes] | None = None, tail: bytes = b""
) -> Iterator[bytes]:
    """The bytes of ``ranges``, each after its part header; the file opens on first read."""
    with path.open("rb") as handle:
        for index, (first, last) in enumerate(ranges):
            if heads:
                yield heads[index]
            handle.seek(first)
            left = last - first + 1
            while left > 0:
                chunk = handle.read(min(CHUNK, left))
                if not chunk:
                    return
                left -= len(chunk)
                yield chunk
    if tail:
        yield tail


# --- compression ----------------------------------------------------------------------------

_SUFFIX = {"br": "br", "gzip": "gz"}


def _coding(info: FileInfo, compressible: bool) -> str | None:
    """``br``, ``gzip`` or None: what to send this request, never for a range."""
    if (
        not compressible
        or not MIN_COMPRESS_BYTES <= info.size <= MAX_COMPRESS_BYTES
        or "Range" in request.headers
    ):
        return None
    accepted = request.accept_encodings
    brotli_q, gzip_q = accepted.quality("br"), accepted.quality("gzip")
    if brotli_q > 0 and brotli_q >= gzip_q:
        return "br"
    return "gzip" if gzip_q > 0 else None


def _compressed(info: FileInfo, coding: str) -> bytes:
    cache = current_app.extensions.get(_CACHE_EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(_CACHE_EXTENSION, CompressedCache(CACHE_BYTES))
    key = (str(info.path), info.tag, coding)
    body = cache.get(key)
    if body is None:
        data = info.path.read_bytes()
        if coding == "br":
            body = brotli.compress(data, quality=BROTLI_QUALITY)
        else:
            body = gzip.compress(data, compresslevel=6, mtime=0)
        cache.put(key, body)
    return body


class CompressedCache:
    """A thread-safe LRU of compressed bodies, bounded by their total size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: tuple[str, str, str], body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._items[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self.size -= len(evicted)

