"""tracking_body: deflated request bodies (size-capped) and value continuations."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest

from scorm_player.services import InvalidInput
from scorm_player.services.tracking_body import (
    DEFLATE_MARKER,
    BodyTooLarge,
    Change,
    assemble,
    decode,
    read_changes,
)

BODY = {"token": "t", "attempt": 7, "seq": 1, "changes": [["cmi.suspend_data", "é" * 5000]]}


def deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return DEFLATE_MARKER + packer.compress(data) + packer.flush()


def test_a_plain_body_is_json_text() -> None:
    assert decode(json.dumps(BODY).encode()) == BODY


def test_a_deflated_body_is_inflated_first() -> None:
    assert decode(deflated(json.dumps(BODY).encode())) == BODY


def test_inflating_stops_at_the_cap() -> None:
    bomb = deflated(b" " * (9 * 1024 * 1024))  # about 9 KiB that would be 9 MiB

    assert len(bomb) < 20_000
    with pytest.raises(BodyTooLarge):
        decode(bomb)
    with pytest.raises(BodyTooLarge):
        decode(deflated(json.dumps(BODY).encode()), limit=100)
    assert decode(deflated(b"[" + b" " * 98 + b"]"), limit=100) == []  # exactly at the cap


@pytest.mark.parametrize(
    "raw",
    [
        DEFLATE_MARKER + b"\xff\xff\xff\xff",  # not DEFLATE (a reserved block type)
        deflated(json.dumps(BODY).encode())[:-20],  # truncated
        deflated(json.dumps(BODY).encode()) + b"{}",  # bytes after the end
        deflated(b"\xff\xfe not text"),
        deflated(b"{not json"),
        DEFLATE_MARKER,
        b"\xff\xfe",
        b"{not json",
    ],
    ids=["bad deflate", "truncated", "trailing", "not utf-8", "not json", "empty", "bytes", "text"],
)
def test_a_damaged_body_is_invalid_input(raw: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode(raw)
    assert not isinstance(caught.value, BodyTooLarge)


def test_changes_are_pairs_or_continuations() -> None:
    read = read_changes([["cmi.location", "a\x00b"], ["cmi.location", "c", "+"]])

    assert read == [Change("cmi.location", "a\ufffdb"), Change("cmi.location", "c", True)]
    assert [change.to_json() for change in read] == [
        ["cmi.location", "a\ufffdb"], ["cmi.location", "c", "+"],
    ]


@pytest.mark.parametrize(
    "changes",
    [
        "cmi.location",
        [["cmi.location"]],
        [["cmi.location", "a", "-"]],
        [["cmi.location", "a", "+", "+"]],
        [["cmi.location", 1]],
        [["cmi.location", "\udc00"]],
    ],
)
def test_malformed_changes_are_invalid_input(changes: Any) -> None:
    with pytest.raises(InvalidInput):
        read_changes(changes)


def test_continuations_are_appended_in_order() -> None:
    changes = read_changes([
        ["cmi.location", "p1"], ["cmi.suspend_data", "ab"], ["cmi.suspend_data", "cd", "+"],
        ["cmi.suspend_data", "", "+"], ["cmi.suspend_data", "e", "+"], ["cmi.suspend_data", "new"],
        ["cmi.exit", "suspend"],
    ])

    assert assemble(changes) == [
        ("cmi.location", "p1"), ("cmi.suspend_data", "abcde"), ("cmi.suspend_data", "new"),
        ("cmi.exit", "suspend"),
    ]


@pytest.mark.parametrize(
    "changes",
    [[["cmi.location", "a", "+"]], [["cmi.location", "a"], ["cmi.suspend_data", "b", "+"]]],
)
def test_a_continuation_must_follow_its_element(changes: Any) -> None:
    with pytest.raises(InvalidInput):
        assemble(read_changes(changes))
