"""Course files on the content origin: types, caching validators, ranges and compression.

Every test runs on both routes that serve course files: ``/learn/<content scope>/`` (a
learner's launch) and ``/preview/<preview token>/`` (a designer's preview).
tests/web/test_content_paths.py has the hostile paths.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.http import http_date

from scorm_player.services import Services
from scorm_player.services.tokens import ContentScope, PreviewScope
from scorm_player.web import delivery
from scorm_player.web.common import EXTENSION
from scorm_player.web.content import COMPRESSIBLE, CONTENT_TYPES
from tests.origins import CONTENT_BASE
from tests.runtime_support import import_course

SINGLE = "scorm12-single-sco"
SCRIPT = b"// a course script\n" + b"var answer = 42; // padding that compresses well\n" * 200
MEDIA = bytes(range(256)) * 40  # 10,240 bytes whose offsets are easy to check

Get = Callable[..., Any]


@pytest.fixture
def services(app: Flask) -> Services:
    return app.extensions[EXTENSION]


@pytest.fixture
def folder(services: Services, package_zip: Any) -> tuple[str, Path]:
    """An imported course with extra files written into its version folder."""
    course_id = import_course(services, package_zip, SINGLE)
    root = services.courses.content_dir(course_id, 1)
    assert root is not None
    (root / "assets").mkdir()
    for suffix in CONTENT_TYPES:
        (root / "assets" / f"file{suffix}").write_bytes(b"x")
    (root / "assets" / "file.swf").write_bytes(b"FWS")
    (root / "assets" / "file.unknown").write_bytes(b"x")
    (root / "assets" / "app.js").write_bytes(SCRIPT)
    (root / "assets" / "tiny.js").write_bytes(b"var a = 1;")
    (root / "assets" / "clip.mp4").write_bytes(MEDIA)
    (root / "assets" / "big.css").write_bytes(b"body { color: red; }\n" * 200)
    return course_id, root


@pytest.fixture(params=["learn", "preview"])
def get(request: pytest.FixtureRequest, client: FlaskClient, services: Services,
        folder: tuple[str, Path]) -> Get:
    """``get(path, method="GET", **headers)`` on one of the two routes."""
    course_id = folder[0]
    if request.param == "learn":
        base = "/learn/" + services.tokens.content(ContentScope(course_id, 1, 1))
    else:
        base = "/preview/" + services.tokens.preview(PreviewScope(course_id, 1))

    def fetch(path: str, method: str = "GET", **headers: str) -> Any:
        return client.open(f"{base}/{path}", method=method,
                           headers={k.replace("_", "-"): v for k, v in headers.items()})

    return fetch


# region Types


def test_each_suffix_has_its_type(get: Get) -> None:
    for suffix, media_type in CONTENT_TYPES.items():  # one app for the whole table
        response = get(f"assets/file{suffix}")

        assert response.status_code == 200, suffix
        assert response.headers["Content-Type"] == media_type, suffix  # no charset added
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [(".html", "text/html"), (".js", "text/javascript"), (".css", "text/css"),
     (".svg", "image/svg+xml"), (".json", "application/json"), (".xml", "application/xml"),
     (".woff", "font/woff"), (".woff2", "font/woff2"), (".ttf", "font/ttf"),
     (".otf", "font/otf"), (".png", "image/png"), (".jpg", "image/jpeg"), (".gif", "image/gif"),
     (".webp", "image/webp"), (".mp4", "video/mp4"), (".webm", "video/webm"),
     (".ogv", "video/ogg"), (".ogg", "audio/ogg"), (".mp3", "audio/mpeg"),
     (".m4a", "audio/mp4"), (".wav", "audio/wav"), (".vtt", "text/vtt"),
     (".pdf", "application/pdf")],
)
def test_the_types_the_issue_names(suffix: str, media_type: str) -> None:
    assert CONTENT_TYPES[suffix] == media_type


def test_an_unknown_suffix_is_an_octet_stream(get: Get) -> None:
    response = get("assets/file.unknown")
    assert response.headers["Content-Type"] == "application/octet-stream"


def test_suffixes_are_matched_in_any_case(get: Get, folder: tuple[str, Path]) -> None:
    (folder[1] / "assets" / "LOUD.JS").write_bytes(b"x")
    assert get("assets/LOUD.JS").headers["Content-Type"] == "text/javascript"


def test_flash_is_refused_with_a_page_that_says_why(get: Get) -> None:
    response = get("assets/file.swf")

    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert "Flash content cannot be played" in response.text
    assert "file.swf" in response.text and b"FWS" not in response.data


# endregion
# region Caching and conditional requests


def test_assets_are_cached_for_a_year_and_pages_revalidated(get: Get) -> None:
    asset = get("assets/app.js")
    page = get("assets/file.html")

    assert asset.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert page.headers["Cache-Control"] == "private, no-cache"
    for response in (asset, page):
        assert response.headers["ETag"].startswith('"')
        assert response.headers["Last-Modified"]


def test_a_matching_etag_is_a_304_without_a_body(get: Get) -> None:
    etag = get("assets/clip.mp4").headers["ETag"]

    again = get("assets/clip.mp4", If_None_Match=etag)

    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert "immutable" in again.headers["Cache-Control"]


@pytest.mark.parametrize("form", ["W/{etag}", '"other", {etag}', "*"])
def test_if_none_match_compares_weakly_and_takes_lists(get: Get, form: str) -> None:
    etag = get("assets/clip.mp4").headers["ETag"]
    assert get("assets/clip.mp4", If_None_Match=form.format(etag=etag)).status_code == 304


def test_another_etag_is_a_200(get: Get) -> None:
    assert get("assets/clip.mp4", If_None_Match='"stale"').status_code == 200


def test_if_modified_since(get: Get, folder: tuple[str, Path]) -> None:
    modified = int((folder[1] / "assets" / "clip.mp4").stat().st_mtime)

    assert get("assets/clip.mp4", If_Modified_Since=http_date(modified)).status_code == 304
    assert get("assets/clip.mp4", If_Modified_Since=http_date(modified - 60)).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 section 13.2.2).
    fresh = get("assets/clip.mp4", If_None_Match='"stale"', If_Modified_Since=http_date(modified))
    assert fresh.status_code == 200


def test_failed_if_match_and_if_unmodified_since_are_412(get: Get) -> None:
    assert get("assets/clip.mp4", If_Match='"stale"').status_code == 412
    assert get("assets/clip.mp4", If_Unmodified_Since=http_date(0)).status_code == 412
    etag = get("assets/clip.mp4").headers["ETag"]
    assert get("assets/clip.mp4", If_Match=etag).status_code == 200


def test_head_has_the_headers_and_no_body(get: Get) -> None:
    response = get("assets/clip.mp4", method="HEAD")

    assert response.status_code == 200 and response.data == b""
    assert response.headers["Content-Length"] == str(len(MEDIA))
    assert response.headers["Accept-Ranges"] == "bytes"


# endregion
# region Ranges


def test_a_single_range(get: Get) -> None:
    response = get("assets/clip.mp4", Range="bytes=256-511")

    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes 256-511/{len(MEDIA)}"
    assert response.headers["Content-Length"] == "256"
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.data == MEDIA[256:512]


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=10-", 10, len(MEDIA) - 1),  # open-ended
        ("bytes=-100", len(MEDIA) - 100, len(MEDIA) - 1),  # the last 100 bytes
        ("bytes=-999999", 0, len(MEDIA) - 1),  # a suffix longer than the file: all of it
        ("bytes=10000-999999", 10000, len(MEDIA) - 1),  # past the end: clipped
        ("BYTES = 0-0", 0, 0),  # the unit is case-insensitive; whitespace around "="
        ("bytes=0-4, 5-9", 0, 9),  # adjacent: coalesced into one
        ("bytes=0-99,50-149,10-20", 0, 149),  # overlapping: coalesced into one
        ("bytes=5-9, 99999-", 5, 9),  # an unsatisfiable range among satisfiable ones
    ],
)
def test_range_forms(get: Get, header: str, first: int, last: int) -> None:
    response = get("assets/clip.mp4", Range=header)

    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/{len(MEDIA)}"
    assert response.data == MEDIA[first : last + 1]


def test_several_ranges_are_a_multipart_answer_in_request_order(get: Get) -> None:
    response = get("assets/clip.mp4", Range="bytes=1000-1009, 0-4")

    assert response.status_code == 206
    assert response.mimetype == "multipart/byteranges"
    boundary = response.mimetype_params["boundary"].encode()
    assert response.headers["Content-Length"] == str(len(response.data))
    parts = response.data.split(b"--" + boundary)
    assert parts[0] == b"\r\n" and parts[-1] == b"--\r\n"
    bodies = []
    for part in parts[1:-1]:
        head, body = part.split(b"\r\n\r\n", 1)
        assert b"Content-Type: video/mp4" in head
        bodies.append((head.split(b"Content-Range: ")[1].decode(), body.removesuffix(b"\r\n")))
    assert bodies == [
        (f"bytes 1000-1009/{len(MEDIA)}", MEDIA[1000:1010]),
        (f"bytes 0-4/{len(MEDIA)}", MEDIA[0:5]),
    ]


@pytest.mark.parametrize("header", ["bytes=99999-", "bytes=10240-10300", "bytes=-0"])
def test_unsatisfiable_ranges_are_416(get: Get, header: str) -> None:
    response = get("assets/clip.mp4", Range=header)

    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(MEDIA)}"
    assert response.data == b""


@pytest.mark.parametrize(
    "header",
    [
        "bytes=5-1",  # last before first: an invalid range-spec
        "bytes=abc",
        "bytes=1-2-3",
        "bytes=",
        "bytes=,",
        "items=0-5",  # a unit we do not know
        "0-5",
        "bytes=0-5;x",
        "bytes=" + ",".join(f"{i * 100}-{i * 100 + 1}" for i in range(17)),  # too many ranges
        "bytes=" + "9" * 5000 + "-",  # more digits than anyone needs
    ],
)
def test_invalid_or_excessive_ranges_are_ignored(get: Get, header: str) -> None:
    response = get("assets/clip.mp4", Range=header)

    assert response.status_code == 200 and response.data == MEDIA


def test_if_range_with_the_current_etag_or_date_keeps_the_range(
    get: Get, folder: tuple[str, Path]
) -> None:
    etag = get("assets/clip.mp4").headers["ETag"]
    modified = int((folder[1] / "assets" / "clip.mp4").stat().st_mtime)

    assert get("assets/clip.mp4", Range="bytes=0-9", If_Range=etag).status_code == 206
    assert get("assets/clip.mp4", Range="bytes=0-9",
               If_Range=http_date(modified)).status_code == 206


@pytest.mark.parametrize("if_range", ['"stale"', "W/{etag}", "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_if_range_with_a_stale_validator_sends_everything(get: Get, if_range: str) -> None:
    etag = get("assets/clip.mp4").headers["ETag"]

    response = get("assets/clip.mp4", Range="bytes=0-9", If_Range=if_range.format(etag=etag))

    assert response.status_code == 200 and response.data == MEDIA


def test_head_ignores_range(get: Get) -> None:
    response = get("assets/clip.mp4", method="HEAD", Range="bytes=0-9")
    assert response.status_code == 200 and response.headers["Content-Length"] == str(len(MEDIA))


# endregion
# region Compression


def test_gzip_when_accepted(get: Get) -> None:
    plain = get("assets/app.js")
    response = get("assets/app.js", Accept_Encoding="gzip, deflate")

    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.data) == SCRIPT
    assert int(response.headers["Content-Length"]) == len(response.data) < len(SCRIPT)
    assert response.headers["ETag"] != plain.headers["ETag"]  # another representation
    assert "Content-Encoding" not in plain.headers and plain.headers["Vary"] == "Accept-Encoding"


def test_brotli_is_preferred_when_accepted(get: Get) -> None:
    response = get("assets/big.css", Accept_Encoding="gzip, deflate, br")

    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == b"body { color: red; }\n" * 200


@pytest.mark.parametrize(
    ("accept", "coding"),
    [("br;q=0, gzip", "gzip"), ("gzip;q=0.5, br;q=0.2", "gzip"), ("*", "br"),
     ("gzip;q=0", None), ("identity", None), ("", None)],
)
def test_accept_encoding_qualities(get: Get, accept: str, coding: str | None) -> None:
    response = get("assets/app.js", Accept_Encoding=accept)
    assert response.headers.get("Content-Encoding") == coding


def test_a_compressed_etag_revalidates(get: Get) -> None:
    etag = get("assets/app.js", Accept_Encoding="gzip").headers["ETag"]

    again = get("assets/app.js", Accept_Encoding="gzip", If_None_Match=etag)

    assert again.status_code == 304 and again.headers["ETag"] == etag
    assert get("assets/app.js", If_None_Match=etag).status_code == 200  # not the plain one


@pytest.mark.parametrize(
    ("name", "why"),
    [("tiny.js", "under the size floor"), ("clip.mp4", "media"),
     ("file.png", "already compressed")],
)
def test_what_is_never_compressed(get: Get, name: str, why: str) -> None:
    response = get(f"assets/{name}", Accept_Encoding="gzip, br")
    assert "Content-Encoding" not in response.headers, why


def test_ranges_are_never_compressed(get: Get) -> None:
    response = get("assets/app.js", Accept_Encoding="gzip, br", Range="bytes=0-9")

    assert response.status_code == 206 and "Content-Encoding" not in response.headers
    assert response.data == SCRIPT[:10]


def test_compressed_bytes_are_made_once(get: Get, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = gzip.compress
    monkeypatch.setattr(
        delivery.gzip, "compress", lambda data, **kw: calls.append(1) or real(data, **kw)
    )

    first = get("assets/app.js", Accept_Encoding="gzip")
    second = get("assets/app.js", Accept_Encoding="gzip")

    assert first.data == second.data and calls == [1]


def test_the_compression_cache_is_bounded() -> None:
    cache = delivery.CompressedCache(max_bytes=10)
    cache.put(("a", "t", "gzip"), b"12345")
    cache.put(("b", "t", "gzip"), b"12345")
    assert cache.get(("a", "t", "gzip")) == b"12345"  # now the most recently used
    cache.put(("c", "t", "gzip"), b"123")

    assert cache.get(("b", "t", "gzip")) is None  # the least recently used went
    assert cache.get(("a", "t", "gzip")) and cache.get(("c", "t", "gzip"))
    assert cache.size == 8
    cache.put(("huge", "t", "gzip"), b"x" * 11)  # larger than the whole cache: not kept
    assert cache.get(("huge", "t", "gzip")) is None and cache.size == 8


def test_compressible_types_are_in_the_table() -> None:
    assert COMPRESSIBLE <= set(CONTENT_TYPES.values())
    assert not {"video/mp4", "audio/mpeg", "image/png", "font/woff2"} & COMPRESSIBLE


# endregion


def test_course_files_are_not_served_on_the_app_origin(
    client: FlaskClient, services: Services, folder: tuple[str, Path]
) -> None:
    scope = services.tokens.content(ContentScope(folder[0], 1, 1))
    path = f"/learn/{scope}/assets/app.js"

    assert client.get(path, base_url=CONTENT_BASE).status_code == 200
    assert client.get(path, base_url="http://localhost").status_code == 404
