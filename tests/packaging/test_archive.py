"""SafeArchive: what it refuses in the central directory, while streaming, and what it finds."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from scorm_player.packaging.archive import ExtractStats, SafeArchive
from scorm_player.packaging.limits import ImportLimits
from scorm_player.packaging.report import Code, ImportReport, PackageRejected, Severity
from tests.fixtures import hostile_zips as hostile
from tests.fixtures.hostile_zips import PAGE, make_zip


def _write(tmp_path: Path, data: bytes, name: str = "package.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _open(source: Path | io.BytesIO, **limits: int) -> tuple[SafeArchive | None, ImportReport]:
    report = ImportReport()
    return SafeArchive.open(source, ImportLimits(**limits), report), report


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture(name="sandbox")
def sandbox_fixture(tmp_path: Path) -> Path:
    """A folder with a file already in it; extraction goes to ``sandbox/out``."""
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    (sandbox / "existing.txt").write_text("keep me")
    return sandbox


# --- Refused in the central directory -------------------------------------------------------

HOSTILE_AT_OPEN = [
    pytest.param(hostile.zip_slip, Code.ZIP_UNSAFE_PATH, "../evil.html", id="zip_slip"),
    pytest.param(
        hostile.nested_traversal, Code.ZIP_UNSAFE_PATH, "a/../../evil.html", id="nested_traversal"
    ),
    pytest.param(hostile.absolute_path, Code.ZIP_UNSAFE_PATH, "/tmp/evil.html", id="absolute"),
    pytest.param(
        hostile.windows_drive_path, Code.ZIP_UNSAFE_PATH, "C:/evil.html", id="windows_drive"
    ),
    pytest.param(
        hostile.windows_drive_relative_path, Code.ZIP_UNSAFE_PATH, "C:evil.html", id="drive_rel"
    ),
    pytest.param(hostile.unc_path, Code.ZIP_UNSAFE_PATH, "//server/share/evil.html", id="unc"),
    pytest.param(
        hostile.backslash_traversal, Code.ZIP_UNSAFE_PATH, "../evil.html", id="backslash_traversal"
    ),
    pytest.param(hostile.nul_in_name, Code.ZIP_UNSAFE_PATH, "evil.html\\x00.txt", id="nul"),
    pytest.param(
        hostile.control_character_in_name, Code.ZIP_UNSAFE_PATH, "bell\\x07.html", id="control"
    ),
    pytest.param(hostile.symlink, Code.ZIP_SYMLINK, "passwd", id="symlink"),
    pytest.param(hostile.fifo, Code.ZIP_SPECIAL_FILE, "pipe", id="fifo"),
    pytest.param(hostile.character_device, Code.ZIP_SPECIAL_FILE, "null", id="device"),
    pytest.param(hostile.duplicate_names, Code.ZIP_DUPLICATE_NAME, "index.html", id="duplicate"),
    pytest.param(hostile.case_collision, Code.ZIP_CASE_COLLISION, "a.html", id="case_collision"),
    pytest.param(hostile.file_and_folder, Code.ZIP_DUPLICATE_NAME, "media", id="file_and_folder"),
    pytest.param(hostile.zip_bomb, Code.ZIP_BOMB, "zeros.bin", id="zip_bomb"),
    pytest.param(
        hostile.path_too_long, Code.ZIP_PATH_TOO_LONG, "deep/" * 210 + "page.html", id="too_long"
    ),
    pytest.param(
        hostile.name_too_long, Code.ZIP_PATH_TOO_LONG, "n" * 295 + ".html", id="name_too_long"
    ),
    pytest.param(hostile.bad_utf8_name, Code.ZIP_NAME_ENCODING, "caf\ufffd.html", id="bad_utf8"),
    pytest.param(hostile.encrypted_member, Code.ZIP_ENCRYPTED, "secret.html", id="encrypted"),
    pytest.param(hostile.deflate64_member, Code.ZIP_UNREADABLE, "video.mp4", id="deflate64"),
]


@pytest.mark.parametrize(("build", "code", "member"), HOSTILE_AT_OPEN)
def test_open_refuses_hostile_entry_naming_it(
    build: Callable[[], bytes], code: Code, member: str, tmp_path: Path
) -> None:
    archive, report = _open(_write(tmp_path, build()))

    assert archive is None
    assert [f.code for f in report.errors] == [code]
    assert report.errors[0].file == member
    assert report.errors[0].hint


@pytest.mark.parametrize("build", [hostile.not_a_zip, hostile.truncated_zip])
def test_open_reports_unreadable_zip(build: Callable[[], bytes], tmp_path: Path) -> None:
    archive, report = _open(_write(tmp_path, build()))

    assert archive is None
    assert report.codes() == [Code.ZIP_UNREADABLE.value]
    assert report.errors[0].message == "The file is not a readable ZIP archive."


def test_open_refuses_too_many_members(tmp_path: Path) -> None:
    archive, report = _open(_write(tmp_path, hostile.many_members(5)), max_members=4)

    assert archive is None
    assert report.codes() == [Code.ZIP_TOO_MANY_MEMBERS.value]
    assert "5 files" in report.errors[0].message


def test_open_refuses_declared_total_over_limit(tmp_path: Path) -> None:
    data = hostile.large_total(files=3, size=10_000)
    archive, report = _open(_write(tmp_path, data), max_total_bytes=20_000)

    assert archive is None
    assert report.codes() == [Code.ZIP_TOO_LARGE.value]
    assert "19.5 KB" in report.errors[0].message  # the limit, as an author reads it


def test_open_records_every_error_not_just_the_first(tmp_path: Path) -> None:
    data = make_zip(("../evil.html", PAGE), ("A.html", PAGE), ("a.html", PAGE))
    data = hostile._patch(data, 1, flags_on=0x0001)

    archive, report = _open(_write(tmp_path, data))

    assert archive is None
    assert sorted(report.codes()) == sorted(
        [Code.ZIP_UNSAFE_PATH.value, Code.ZIP_ENCRYPTED.value, Code.ZIP_CASE_COLLISION.value]
    )


def test_open_accepts_a_high_ratio_under_the_size_threshold(tmp_path: Path) -> None:
    data = make_zip(("blank.txt", bytes(512 * 1024)))  # 512 KiB of zeros: ~500:1

    archive, report = _open(_write(tmp_path, data))

    assert archive is not None and report.ok
    archive.close()


# --- Refused while streaming ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "code"),
    [
        pytest.param(hostile.lying_size, Code.ZIP_BOMB, id="lying_size"),
        pytest.param(hostile.corrupt_crc, Code.ZIP_CORRUPT_MEMBER, id="corrupt_crc"),
        pytest.param(hostile.corrupt_data, Code.ZIP_CORRUPT_MEMBER, id="corrupt_data"),
    ],
)
def test_extract_rejects_and_leaves_nothing_behind(
    build: Callable[[], bytes], code: Code, tmp_path: Path, sandbox: Path
) -> None:
    before = _tree(sandbox)
    archive, report = _open(_write(tmp_path, build()))
    assert archive is not None, report.findings

    with archive, pytest.raises(PackageRejected) as caught:
        archive.extract("", sandbox / "out")

    assert caught.value.report is report
    assert [f.code for f in report.errors] == [code]
    assert report.errors[0].file in archive.names
    assert not (sandbox / "out").exists()
    assert _tree(sandbox) == before


def test_read_rejects_a_member_larger_than_it_declares(tmp_path: Path) -> None:
    archive, report = _open(_write(tmp_path, hostile.lying_size()))
    assert archive is not None

    with archive, pytest.raises(PackageRejected):
        archive.read("big.html", max_bytes=10 * 1024 * 1024)

    assert report.codes() == [Code.ZIP_BOMB.value]


def test_read_rejects_a_member_over_max_bytes(tmp_path: Path) -> None:
    archive, report = _open(_write(tmp_path, make_zip(("imsmanifest.xml", PAGE))))
    assert archive is not None

    with archive, pytest.raises(PackageRejected):
        archive.read("imsmanifest.xml", max_bytes=10)

    assert report.codes() == [Code.ZIP_TOO_LARGE.value]
    assert report.errors[0].file == "imsmanifest.xml"


def test_read_reports_a_corrupt_member(tmp_path: Path) -> None:
    archive, report = _open(_write(tmp_path, hostile.corrupt_crc()))
    assert archive is not None

    with archive, pytest.raises(PackageRejected):
        archive.read("index.html", max_bytes=1024)

    assert report.codes() == [Code.ZIP_CORRUPT_MEMBER.value]


def test_extract_refuses_a_name_that_resolves_outside_even_if_open_missed_it(
    tmp_path: Path, sandbox: Path
) -> None:
    before = _tree(sandbox)
    archive, report = _open(_write(tmp_path, make_zip(("index.html", PAGE))))
    assert archive is not None
    archive._members = {"../escaped.html": archive._members["index.html"]}  # a bug in open

    with archive, pytest.raises(PackageRejected):
        archive.extract("", sandbox / "out")

    assert report.codes() == [Code.ZIP_UNSAFE_PATH.value]
    assert _tree(sandbox) == before


def test_extract_refuses_an_existing_destination_and_leaves_it_alone(
    tmp_path: Path, sandbox: Path
) -> None:
    archive, _ = _open(_write(tmp_path, make_zip(("index.html", PAGE))))
    assert archive is not None

    with archive, pytest.raises(FileExistsError):
        archive.extract("", sandbox)

    assert (sandbox / "existing.txt").read_text() == "keep me"


# --- Names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "name"),
    [
        pytest.param(hostile.utf8_flagged_name, "leçon/café.html", id="utf8_flag"),
        pytest.param(hostile.utf8_unflagged_name, "leçon/café.html", id="utf8_without_flag"),
        pytest.param(hostile.cp437_name, "café.html", id="cp437"),
    ],
)
def test_names_are_decoded_as_their_tool_wrote_them(
    build: Callable[[], bytes], name: str, tmp_path: Path
) -> None:
    archive, report = _open(_write(tmp_path, build()))

    assert archive is not None and report.ok
    assert archive.names == [name]
    archive.close()


def test_junk_is_ignored_with_one_warning(tmp_path: Path) -> None:
    archive, report = _open(_write(tmp_path, hostile.mac_and_windows_junk()))

    assert archive is not None
    assert archive.names == ["index.html"]
    assert report.codes() == [Code.ZIP_IGNORED_MEMBER.value]
    assert report.findings[0].severity is Severity.WARNING
    archive.close()


def test_folder_entries_are_not_names_and_backslashes_become_slashes(tmp_path: Path) -> None:
    data = make_zip(("content/", b""), ("content\\page.html", PAGE), ("./sco.html", PAGE))

    archive, report = _open(_write(tmp_path, data))

    assert archive is not None and report.ok
    assert archive.names == ["content/page.html", "sco.html"]
    archive.close()


@pytest.fixture(name="library")
def library_fixture(tmp_path: Path):
    data = make_zip(
        ("index.html", PAGE),
        ("My Files/page 1.html", PAGE),
        ("content/Intro.HTML", PAGE),
        ("media/cafe\u0301.png", PAGE),  # macOS writes decomposed (NFD) names
    )
    archive, _ = _open(_write(tmp_path, data))
    assert archive is not None
    with archive:
        yield archive


@pytest.mark.parametrize(
    ("href", "member"),
    [
        pytest.param("index.html", "index.html", id="exact"),
        pytest.param("My%20Files/page%201.html", "My Files/page 1.html", id="percent_encoded"),
        pytest.param("content\\Intro.HTML", "content/Intro.HTML", id="backslashes"),
        pytest.param("./index.html", "index.html", id="dot_slash"),
        pytest.param("/index.html", "index.html", id="leading_slash"),
        pytest.param("content/intro.html", "content/Intro.HTML", id="case_insensitive"),
        pytest.param(".\\CONTENT\\intro.html", "content/Intro.HTML", id="all_at_once"),
        pytest.param("media/caf%C3%A9.png", "media/cafe\u0301.png", id="unicode_normal_form"),
    ],
)
def test_find_resolves_what_manifests_write(library: SafeArchive, href: str, member: str) -> None:
    assert library.find(href) == member


@pytest.mark.parametrize("href", ["missing.html", "../index.html", "", "content/"])
def test_find_answers_none_for_no_member(library: SafeArchive, href: str) -> None:
    assert library.find(href) is None


# --- Reading and extracting --------------------------------------------------------------------


def test_read_returns_the_member_bytes(tmp_path: Path) -> None:
    archive, _ = _open(_write(tmp_path, make_zip(("imsmanifest.xml", PAGE))))
    assert archive is not None

    with archive:
        assert archive.read("imsmanifest.xml", max_bytes=len(PAGE)) == PAGE


def test_extract_streams_a_file_like_source(tmp_path: Path) -> None:
    big = os.urandom(3 * 1024 * 1024 + 17)  # several chunks
    data = make_zip(("index.html", PAGE), ("media/clip.bin", big))

    archive, _ = _open(io.BytesIO(data))
    assert archive is not None
    with archive:
        stats = archive.extract("", tmp_path / "out")

    assert stats == ExtractStats(files=2, bytes=len(PAGE) + len(big))
    assert (tmp_path / "out" / "media" / "clip.bin").read_bytes() == big


def test_extract_strips_the_root_and_skips_what_is_outside_it(tmp_path: Path) -> None:
    data = make_zip(("course/index.html", PAGE), ("course/a/b.html", PAGE), ("README", b"x"))
    archive, _ = _open(_write(tmp_path, data))
    assert archive is not None

    with archive:
        stats = archive.extract("course/", tmp_path / "out")

    assert stats == ExtractStats(files=2, bytes=2 * len(PAGE))
    assert _tree(tmp_path / "out") == ["a", "a/b.html", "index.html"]


def test_extract_ignores_modes_from_the_zip(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("run.sh")
    info.external_attr = (stat.S_IFREG | stat.S_ISUID | 0o777) << 16
    archive, _ = _open(_write(tmp_path, make_zip((info, b"#!/bin/sh\n"))))
    assert archive is not None

    with archive:
        archive.extract("", tmp_path / "out")

    mode = stat.S_IMODE((tmp_path / "out" / "run.sh").stat().st_mode)
    assert mode & (stat.S_ISUID | 0o111) == 0
