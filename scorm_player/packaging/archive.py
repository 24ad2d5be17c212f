"""Safe reading and extraction of a package zip.

Theory of operation: a zip is judged twice. ``SafeArchive.open`` reads only the central
directory and refuses, before a single byte is unpacked, every entry that could escape the
destination (absolute or ``..`` paths, links, devices), clash with another (duplicate or
case-colliding names, a file that is also a folder) or exhaust the server (too many files, too
large in total, a compression ratio typical of zip bombs). The sizes it checked are only what
the zip *declares*, so reading and extracting count the real bytes again, chunk by chunk, and
refuse a member the moment it unpacks to more than it declared.

Member names are decoded the way authors' tools write them (UTF-8 flag, or UTF-8 without the
flag, or the historical cp437), use ``/`` even when the zip used ``\\``, and are the names the
rest of the importer sees in ``SafeArchive.names``.
"""

from __future__ import annotations

import copy
import lzma
import os
import re
import shutil
import stat
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Iterator
from urllib.parse import unquote

from scorm_player.humanize import file_size as _size
from scorm_player.packaging.limits import MiB, ImportLimits
from scorm_player.packaging.report import Code, ImportReport, PackageRejected

_CHUNK = 1 * MiB  # big enough that zlib, not Python, dominates; small enough for memory
_FLAG_ENCRYPTED = 0x0001
_FLAG_UTF8 = 0x0800
_NAME_MAX_BYTES = 255  # a single folder or file name, as filesystems allow
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_JUNK_FOLDER = "__MACOSX"
_JUNK_FILES = {".ds_store", "thumbs.db"}
_KINDS = {  # unix file types in external_attr >> 16 that are not plain files
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFIFO: "named pipe (FIFO)",
    stat.S_IFSOCK: "socket",
}
# What zipfile and its decompressors raise on damaged member data (found by fuzzing 3.11).
_READ_ERRORS = (
    zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError,
    NotImplementedError, RuntimeError, ValueError, OSError,
)  # fmt: skip
_OPEN_ERRORS = (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError, OSError)

_REZIP = "Export the package again from your authoring tool, or zip the course folder again."
# key: (code, message, hint). {name} is the member; other fields come from the check.
_TEXT: dict[str, tuple[Code, str, str]] = {
    "unreadable": (
        Code.ZIP_UNREADABLE,
        "The file is not a readable ZIP archive.",
        "Upload the .zip file your authoring tool exported; if you downloaded it, download "
        "it again, as it may be incomplete.",
    ),
    "method": (
        Code.ZIP_UNREADABLE,
        "'{name}' is compressed with a method this server cannot unpack (method {method}).",
        "Zip the course again with standard (Deflate) compression.",
    ),
    "encoding": (
        Code.ZIP_NAME_ENCODING,
        "The name of '{name}' is not valid UTF-8, although the zip says it is.",
        "Rename the file using plain letters and digits, or zip the course again with "
        "another zip program.",
    ),
    "unsafe": (Code.ZIP_UNSAFE_PATH, "'{name}' is not a safe path: {why}.", _REZIP),
    "too_long": (
        Code.ZIP_PATH_TOO_LONG,
        "The path of '{name}' is too long: {why}.",
        "Use shorter folder and file names.",
    ),
    "symlink": (
        Code.ZIP_SYMLINK,
        "'{name}' is a symbolic link; packages may only contain plain files.",
        "Replace the link with a copy of the file it points to.",
    ),
    "special": (
        Code.ZIP_SPECIAL_FILE,
        "'{name}' is a {kind}, not a plain file.",
        "Remove it from the zip; a course contains only files and folders.",
    ),
    "encrypted": (
        Code.ZIP_ENCRYPTED,
        "'{name}' is password-protected.",
        "Zip the course again without a password.",
    ),
    "duplicate": (
        Code.ZIP_DUPLICATE_NAME,
        "'{name}' is in the zip more than once.",
        "Zip the course again so that each file is in it once.",
    ),
    "file_and_folder": (
        Code.ZIP_DUPLICATE_NAME,
        "'{name}' is both a file and a folder in the zip.",
        "Rename the file or the folder.",
    ),
    "case": (
        Code.ZIP_CASE_COLLISION,
        "'{name}' and '{other}' differ only in upper/lower case, so they would overwrite "
        "each other on Windows and macOS.",
        "Rename one of them and update the links to it.",
    ),
    "too_many": (
        Code.ZIP_TOO_MANY_MEMBERS,
        "The zip has {count} files; this server accepts at most {limit}.",
        "Remove unused files, or ask your administrator to raise the limit.",
    ),
    "too_large": (
        Code.ZIP_TOO_LARGE,
        "The files in the zip add up to {size} unpacked; this server accepts at most {limit}.",
        "Make the package smaller (compress videos and images, remove unused files), or "
        "ask your administrator to raise the limit.",
    ),
    "read_too_large": (
        Code.ZIP_TOO_LARGE,
        "'{name}' is {size} unpacked; this server reads at most {limit} for it.",
        "Make the file smaller.",
    ),
    "bomb": (
        Code.ZIP_BOMB,
        "'{name}' would unpack to {size} from {packed} (more than {ratio:g} to 1), which is "
        "how zip bombs are made.",
        "If the file is genuine, store it without compression or make it smaller.",
    ),
    "bomb_lying": (
        Code.ZIP_BOMB,
        "'{name}' unpacks to more than the {size} the zip declares for it, which is how zip "
        "bombs are made.",
        _REZIP,
    ),
    "corrupt": (
        Code.ZIP_CORRUPT_MEMBER,
        "'{name}' is damaged in the zip and cannot be unpacked ({detail}).",
        "Export or download the package again; it was probably cut short or damaged.",
    ),
}


@dataclass(frozen=True)
class ExtractStats:
    """What ``SafeArchive.extract`` wrote: regular files and their real unpacked bytes."""

    files: int
    bytes: int


class SafeArchive:
    """A zip whose central directory passed every check; see the module docstring."""

    def __init__(
        self,
        zip_file: zipfile.ZipFile,
        members: dict[str, zipfile.ZipInfo],
        limits: ImportLimits,
        report: ImportReport,
        owned: BinaryIO | None,
    ) -> None:
        self._zip = zip_file
        self._members = members
        self._limits = limits
        self._report = report
        self._owned = owned  # the file we opened from a path, closed with us
        self.names: list[str] = list(members)
        self._by_key = {_fold(name): name for name in members}

    @classmethod
    def open(
        cls,
        source: str | os.PathLike[str] | BinaryIO,
        limits: ImportLimits,
        report: ImportReport,
    ) -> SafeArchive | None:
        """Check the central directory; record every problem in ``report``.

        Returns None when the zip is unreadable or any entry is refused. A missing file at
        a path raises as usual: that is the caller's mistake, not the author's.
        """
        owned = open(source, "rb") if isinstance(source, (str, os.PathLike)) else None
        errors = len(report.errors)
        try:
            zip_file = zipfile.ZipFile(owned or source)
        except UnicodeDecodeError as exc:  # zipfile decodes flagged names strictly
            _error(report, "encoding", exc.object.decode("utf-8", "replace"))
        except _OPEN_ERRORS:
            _error(report, "unreadable")
        else:
            members = _scan(zip_file.infolist(), limits, report)
            if len(report.errors) == errors:
                return cls(zip_file, members, limits, report, owned)
            zip_file.close()
        if owned is not None:
            owned.close()
        return None

    def find(self, path: str) -> str | None:
        """The member ``path`` refers to, as a manifest href would write it, or None.

        Tries, in order: the exact name; percent-decoded; with ``\\`` as ``/`` and a leading
        ``./`` or ``/`` dropped; then the same ignoring case and Unicode normal form.
        """
        if path in self._members:
            return path
        decoded = unquote(path)
        candidates = (decoded, _normalise_href(decoded), _normalise_href(path))
        for candidate in candidates:
            if candidate in self._members:
                return candidate
        for candidate in candidates:
            if (found := self._by_key.get(_fold(candidate))) is not None:
                return found
        return None

    def read(self, name: str, max_bytes: int) -> bytes:
        """The bytes of member ``name``; raises ``PackageRejected`` beyond ``max_bytes``.

        The declared size is checked first, and ``_stream`` stops as soon as the real bytes
        exceed it, so no more than ``max_bytes`` plus one chunk is ever held.
        """
        info = self._members[name]
        if info.file_size > max_bytes:
            raise self._reject(
                "read_too_large", name, size=_size(info.file_size), limit=_size(max_bytes)
            )
        return b"".join(self._stream(name, info))

    def extract(self, root: str, destination: Path) -> ExtractStats:
        """Stream the members under ``root`` into ``destination``, without the ``root`` prefix.

        ``destination`` must not exist (``FileExistsError`` otherwise): it is created here, so
        on any failure it can be removed whole, and ``PackageRejected`` says why.
        """
        if root and not (root.endswith("/") and _unsafe_reason(root) is None):
            raise ValueError(f"root must be '' or a safe 'folder/', not {root!r}")
        destination = Path(destination)
        destination.mkdir(mode=0o755, parents=True)
        try:
            return self._extract_into(root, os.path.realpath(destination))
        except BaseException:
            shutil.rmtree(destination, ignore_errors=True)
            raise

    def close(self) -> None:
        self._zip.close()
        if self._owned is not None:
            self._owned.close()

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _extract_into(self, root: str, base: str) -> ExtractStats:
        files = total = 0
        limit = self._limits.max_total_bytes
        folders: set[str] = {base}
        for name, info in self._members.items():
            if not name.startswith(root):
                continue
            target = self._target(base, name, name[len(root) :], folders)
            with open(target, "xb", opener=_create_file) as out:
                for chunk in self._stream(name, info):
                    total += len(chunk)
                    if total > limit:  # cannot happen unless sizes lie; checked anyway
                        raise self._reject("too_large", size=_size(total), limit=_size(limit))
                    out.write(chunk)
            files += 1
        return ExtractStats(files, total)

    def _target(self, base: str, name: str, relative: str, folders: set[str]) -> str:
        """The path to create for ``relative``, its folders made and checked to be in ``base``.

        Names were checked in ``open``; this re-checks the resolved paths (defence in depth)
        so that a bug there, or a link planted in ``base``, cannot send a file elsewhere.
        """
        target = os.path.join(base, relative)
        if not _inside(os.path.normpath(target), base):
            raise self._reject_outside(name)
        folder, _, _ = relative.rpartition("/")
        path = base
        for part in folder.split("/") if folder else ():
            path = os.path.join(path, part)
            if path not in folders:
                try:
                    os.mkdir(path, 0o755)
                except FileExistsError:  # the same folder in another case, on macOS
                    if not os.path.isdir(path):
                        raise
                if not _inside(os.path.realpath(path), base):
                    raise self._reject_outside(name)
                folders.add(path)
        return target

    def _stream(self, name: str, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Yield the real bytes of a member, refusing it once they exceed what it declared.

        zipfile itself stops at the declared size and then reports a CRC error; we lift that
        ceiling (on a copy of the entry) so a lying size is reported as the bomb it is, and
        enforce our own ceiling after every chunk instead.
        """
        limits = self._limits
        unbounded = copy.copy(info)
        unbounded.file_size = sys.maxsize
        real = 0
        try:
            with self._zip.open(unbounded) as source:
                while chunk := source.read(_CHUNK):
                    real += len(chunk)
                    if real > info.file_size:
                        raise self._reject("bomb_lying", name, size=_size(info.file_size))
                    if real > limits.ratio_check_min_bytes and _too_compressed(
                        real, info.compress_size, limits
                    ):  # implied by the declared checks; kept so the real bytes decide
                        fields = _bomb_fields(real, info.compress_size, limits)
                        raise self._reject("bomb", name, **fields)
                    yield chunk
        except _READ_ERRORS as exc:
            raise self._reject("corrupt", name, detail=str(exc) or type(exc).__name__) from exc

    def _reject(self, key: str, name: str | None = None, **fields: Any) -> PackageRejected:
        _error(self._report, key, name, **fields)
        return PackageRejected(self._report)

    def _reject_outside(self, name: str) -> PackageRejected:
        return self._reject("unsafe", name, why="it resolves outside the package folder")



# --- Central directory checks -----------------------------------------------------------


def _scan(
    infos: list[zipfile.ZipInfo], limits: ImportLimits, report: ImportReport
) -> dict[str, zipfile.ZipInfo]:
    """The members to keep, by decoded name, in zip order; every refusal goes to ``report``.

    Too many entries stops the scan at once: judging a million names is itself the attack.
    """
    count = sum(1 for info in infos if not info.filename.endswith(("/", "\\")))
    if count > limits.max_members:
        _error(report, "too_many", count=f"{count:,}", limit=f"{limits.max_members:,}")
        return {}
    members: dict[str, zipfile.ZipInfo] = {}
    keys: dict[str, str] = {}
    junk = 0
    for info in infos:
        name = _decode_name(info)
        if name is None:
            _error(report, "encoding", info.orig_filename.encode("utf-8", "replace").decode())
            continue
        name = name.replace("\\", "/")
        if (why := _unsafe_reason(name)) is not None:
            _error(report, "unsafe", name, why=why)
            continue
        clean = "/".join(part for part in name.split("/") if part not in ("", "."))
        if name.endswith("/") or not clean or stat.S_ISDIR(info.external_attr >> 16):
            continue  # folders are made as their files need them
        if _is_junk(clean):
            junk += 1
            continue
        _check_member(info, clean, limits, report)
        if clean in members:
            _error(report, "duplicate", clean)
        elif (other := keys.get(_fold(clean))) is not None:
            _error(report, "case", clean, other=other)
        else:
            members[clean] = info
            keys[_fold(clean)] = clean
    _check_totals(members, limits, report)
    if junk:
        report.warning(
            Code.ZIP_IGNORED_MEMBER,
            f"Ignored {junk} file(s) that the operating system added to the zip "
            "(__MACOSX/, .DS_Store, Thumbs.db); they are not part of the course.",
        )
    return members


def _check_member(
    info: zipfile.ZipInfo, name: str, limits: ImportLimits, report: ImportReport
) -> None:
    """The checks that concern one entry alone."""
    if (why := _too_long_reason(name, limits)) is not None:
        _error(report, "too_long", name, why=why)
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        _error(report, "symlink", name)
    elif kind not in (0, stat.S_IFREG):
        _error(report, "special", name, kind=_KINDS.get(kind, "special file"))
    if info.flag_bits & _FLAG_ENCRYPTED:
        _error(report, "encrypted", name)
    if info.compress_type not in _METHODS:
        _error(report, "method", name, method=info.compress_type)
    if info.file_size > limits.ratio_check_min_bytes and _too_compressed(
        info.file_size, info.compress_size, limits
    ):
        _error(report, "bomb", name, **_bomb_fields(info.file_size, info.compress_size, limits))


def _check_totals(
    members: dict[str, zipfile.ZipInfo], limits: ImportLimits, report: ImportReport
) -> None:
    """The checks that concern the entries together: declared size, files vs folders."""
    total = sum(info.file_size for info in members.values())
    if total > limits.max_total_bytes:
        _error(report, "too_large", size=_size(total), limit=_size(limits.max_total_bytes))
    folders: set[str] = set()
    for name in members:
        folder = name
        while "/" in folder and (folder := folder.rpartition("/")[0]) not in folders:
            folders.add(folder)
    for name in members:
        if name in folders:
            _error(report, "file_and_folder", name)


def _decode_name(info: zipfile.ZipInfo) -> str | None:
    """The member's name as its author wrote it, or None when it is not valid UTF-8.

    Without the UTF-8 flag zipfile decodes cp437, but many tools write UTF-8 without setting
    the flag: such names round-trip through cp437 into valid UTF-8, real cp437 ones rarely do.
    """
    raw = info.orig_filename  # before zipfile cut it at a NUL
    if info.flag_bits & _FLAG_UTF8:
        try:
            raw.encode("utf-8")  # surrogates, should zipfile ever let them through
        except UnicodeEncodeError:
            return None
        return raw
    try:
        return raw.encode("cp437").decode("utf-8")
    except UnicodeError:
        return raw


def _unsafe_reason(name: str) -> str | None:
    """Why a ``/``-separated name could land outside the destination, or None."""
    if _CONTROL.search(name):
        return "it contains a control character"
    if name.startswith("/"):
        return "it is an absolute path"
    if _DRIVE.match(name):
        return "it starts with a Windows drive letter"
    if ".." in name.split("/"):
        return "it climbs out of its folder with '..'"
    return None


def _too_long_reason(name: str, limits: ImportLimits) -> str | None:
    if len(name) > limits.max_path_length:
        return f"{len(name)} characters, the limit is {limits.max_path_length}"
    if any(len(part.encode()) > _NAME_MAX_BYTES for part in name.split("/")):
        return f"a folder or file name in it is over {_NAME_MAX_BYTES} bytes"
    return None


def _is_junk(name: str) -> bool:
    parts = name.split("/")
    return _JUNK_FOLDER in parts[:-1] or parts[-1].lower() in _JUNK_FILES


def _too_compressed(size: int, packed: int, limits: ImportLimits) -> bool:
    return size > limits.max_compression_ratio * packed


def _bomb_fields(size: int, packed: int, limits: ImportLimits) -> dict[str, Any]:
    return {"size": _size(size), "packed": _size(packed), "ratio": limits.max_compression_ratio}


def _error(report: ImportReport, key: str, name: str | None = None, **fields: Any) -> None:
    code, message, hint = _TEXT[key]
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name) if name else name
    report.error(code, message.format(name=shown, **fields), file=shown, hint=hint)


# --- Paths ------------------------------------------------------------------------------


def _fold(name: str) -> str:
    """The key under which names clash on Windows and macOS: case and normal form ignored."""
    return unicodedata.normalize("NFC", name).lower()


def _normalise_href(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith(("./", "/")):
        path = path[1:] if path.startswith("/") else path[2:]
    return path


def _inside(path: str, base: str) -> bool:
    return path.startswith(base + os.sep)


def _create_file(path: str, flags: int) -> int:
    """Opener for ``open(..., "xb")``: a new plain file, never through a link, mode 0o644."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o644)  # none on Windows
