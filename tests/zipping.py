"""Build zips from the fixture folders, the way an author's tool would."""

from __future__ import annotations

import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGES = FIXTURES / "packages"


def zip_folder(folder: Path, destination: Path, *, prefix: str = "") -> Path:
    """Zip every file under ``folder`` into ``destination``; ``prefix`` nests them in a folder."""
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return destination


def fixture_zip(name: str, tmp_path: Path, *, prefix: str = "") -> Path:
    """The fixture package ``tests/fixtures/packages/<name>`` as a zip in ``tmp_path``."""
    return zip_folder(PACKAGES / name, tmp_path / f"{name}.zip", prefix=prefix)
