"""Request bodies made by ``static/js/scorm-api.js`` (``body_harness.js``), read by the server.

- ``deflateRaw`` output is raw DEFLATE that Python's ``zlib`` inflates to the input;
- ``encodeBody`` output is what :func:`tracking_body.decode` reads back to the same object;
- ``splitBatch``/``cutChanges`` parts are what :func:`tracking_body.assemble` joins back to
  the batch, with no chunk that is not text.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorm_player.services import tracking_body
from tests.runtime_js.parity import NodeLines

HARNESS = Path(__file__).with_name("body_harness.js")


class BodyHarness(NodeLines):
    """``body_harness.js``."""

    def __init__(self) -> None:
        super().__init__(HARNESS)

    def deflate(self, data: bytes) -> tuple[bytes, float]:
        answer = self.run({"deflate": base64.b64encode(data).decode()})
        return base64.b64decode(answer["deflated"]), answer["ms"]


@pytest.fixture(scope="module")
def node() -> Iterator[BodyHarness]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    harness = BodyHarness()
    yield harness
    harness.close()


def suspend_data(length: int, seed: int = 64) -> str:
    """JSON records with varying numbers, as courses write suspend_data."""
    rng = random.Random(seed)
    text = '{"v":3,"slides":['
    i = 0
    while len(text) < length:
        text += (
            f'{{"id":"slide_{i:04d}","visited":{"true" if rng.random() < 0.7 else "false"},'
            f'"time":{rng.randrange(90000)},"score":{rng.randrange(101)},'
            f'"answers":[{rng.randrange(4)},{rng.randrange(4)}]}},'
        )
        i += 1
    return text[:length]


def _corpus() -> list[tuple[str, bytes]]:
    rng = random.Random(5)
    storyline = "".join(
        rng.choice("0123456789abcdefghijklmnopqrstuvwxyz~") + rng.choice("01ab") * rng.randint(1, 3)
        for _ in range(30000)
    )
    return [
        ("empty", b""),
        ("one byte", b"a"),
        ("two bytes", b"ab"),
        ("a long run (258-byte matches)", b"a" * 100_000),
        ("random bytes (stored blocks over 64 KiB)", rng.randbytes(200_000)),
        ("base64", base64.b64encode(rng.randbytes(48_000))),
        ("suspend_data", suspend_data(64_000).encode()),
        ("storyline-like", storyline.encode()),
        ("multi-byte text", "".join(rng.choice("éàü日本語😀 ") for _ in range(30000)).encode()),
        ("distances near 32 KiB", rng.randbytes(32_000) * 3),
        ("many blocks", suspend_data(600_000, seed=3).encode()),
    ]


@pytest.mark.parametrize(("name", "data"), _corpus(), ids=[name for name, _ in _corpus()])
def test_python_zlib_inflates_what_javascript_deflates(
    node: BodyHarness, name: str, data: bytes
) -> None:
    deflated, _ = node.deflate(data)

    assert zlib.decompress(deflated, -15) == data
    # Never much more than stored blocks (5 bytes a block of at most 16,384 tokens) take.
    assert len(deflated) <= len(data) + 5 * (len(data) // 16384 + 1) + 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000) | st.lists(st.sampled_from([b"ab", b"abc", b"x" * 40, b"\x00"])).map(b"".join))
def test_any_bytes_round_trip(node: BodyHarness, data: bytes) -> None:
    deflated, _ = node.deflate(data)

    assert zlib.decompress(deflated, -15) == data


def test_realistic_suspend_data_deflates_small_and_fast(node: BodyHarness) -> None:
    data = json.dumps(suspend_data(64_000)).encode()
    times = []
    for _ in range(5):
        deflated, ms = node.deflate(data)
        times.append(ms)

    assert len(deflated) < len(data) / 5
    assert sorted(times)[2] < 50  # the median, in node; see the Chromium test for a browser


def test_the_server_decodes_the_bodies_the_page_encodes(node: BodyHarness) -> None:
    small = {"token": "t", "attempt": 7, "seq": 1, "changes": [["cmi.location", "p1"]]}
    large = {**small, "changes": [["cmi.suspend_data", suspend_data(64_000)]], "final": True}

    for body, compressed in ((small, False), (large, True)):  # (over 16 KiB: deflated)
        answer = node.run({"encode": body})
        raw = base64.b64decode(answer["data"])
        assert answer["compressed"] is compressed
        assert raw.startswith(tracking_body.DEFLATE_MARKER) is compressed
        assert tracking_body.decode(raw) == body


TEXT = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from(['"', "\\", "\n", "😀", "é"]),
    max_size=400,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(["cmi.suspend_data", "cmi.location", "adl.data.0.store"]), TEXT),
             max_size=6),
    st.integers(min_value=60, max_value=600),
)
def test_split_parts_assemble_to_the_batch(
    node: BodyHarness, changes: list[tuple[str, str]], budget: int
) -> None:
    batch = [[name, value] for name, value in changes if _is_text(value)]
    answer = node.run({"split": [batch, budget]})

    parts = answer["parts"]
    read = [tracking_body.read_changes(part) for part in parts]  # each chunk is text
    assert tracking_body.assemble(c for part in read for c in part) == [tuple(c) for c in batch]
    for part in parts:
        assert len(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()) <= budget + 2


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value  # the server stores NUL as U+FFFD
