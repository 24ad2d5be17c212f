"""Write a new migration from the difference between the models and the migrated schema.

Usage from a checkout: ``python -m scorm_player.storage.revision "add attempt table"``.
It migrates a throwaway SQLite database to head, compares it with ``storage/models.py`` and
writes ``versions/NNNN_<slug>.py`` for review (autogenerate misses some changes: read it).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from alembic import command

from scorm_player.storage.db import alembic_config, head_revision, make_engine, upgrade


def main(message: str) -> None:
    head = head_revision()
    number = f"{int(head or 0) + 1:04d}"
    slug = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'revision.sqlite3'}")
        upgrade(engine)
        config = alembic_config(engine)
        config.set_main_option("file_template", f"%%(rev)s_{slug}")
        command.revision(config, message, autogenerate=True, rev_id=number)
        engine.dispose()


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "change")
