"""Safe reading and extraction of a package zip.  (CONTRACT: implementation in progress)

Public API (other modules depend on exactly this):

    class SafeArchive:
        @classmethod
        def open(cls, source: str | os.PathLike | BinaryIO, limits: ImportLimits,
                 report: ImportReport) -> SafeArchive | None
            Reads the central directory only. Records errors in ``report`` and returns None
            when the archive is unreadable or hostile (see Code.ZIP_*).
        names: list[str]          # decoded, "/"-separated member file names (no dirs,
                                  # ignored junk such as __MACOSX/ removed), in zip order
        def find(self, path: str) -> str | None
            Exact match first, then percent-decoded, then case-insensitive; returns the
            member name or None.
        def read(self, name: str, max_bytes: int) -> bytes
        def extract(self, root: str, destination: Path) -> ExtractStats
            Streams every member under ``root`` ("" or "folder/") into ``destination``
            (which must not exist yet), counting real bytes against the limits; raises
            PackageRejected (with the archive's report) and removes ``destination`` on failure.
        def close(self) -> None   # also a context manager
"""
