"""The demo course: zipped in memory the same way every time, imported once.

``scorm-player demo`` runs this on every start. The zip is deterministic (sorted names,
fixed timestamps), so its SHA-256 identifies the shipped course and a re-run reuses the
version imported before instead of adding a new one.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from scorm_player import resources
from scorm_player.services.courses import CourseService, ImportOutcome

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can record
DEMO_FILENAME = "scorm-player-demo.zip"


def zip_folder_deterministically(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def install_demo(courses: CourseService, folder: Path | None = None) -> ImportOutcome:
    """Import the shipped demo course unless this exact course was imported before."""
    folder = folder or resources.demo_course_dir()
    if not (folder / "imsmanifest.xml").is_file():
        raise FileNotFoundError(f"The demo course is missing: no imsmanifest.xml in {folder}")
    data = io.BytesIO(zip_folder_deterministically(folder))
    return courses.import_zip(data, filename=DEMO_FILENAME, reuse_identical=True)
