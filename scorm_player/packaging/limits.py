"""Limits that keep a hostile or oversized package from exhausting the server."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True)
class ImportLimits:
    """Configurable ceilings applied while reading and extracting a package.

    The defaults follow the product's policy: 2 GiB unpacked, 20,000 members, and a member
    over 1 MiB whose compression ratio exceeds 200:1 is refused as a probable zip bomb.
    """

    max_total_bytes: int = 2 * GiB
    max_members: int = 20_000
    max_compression_ratio: float = 200.0
    ratio_check_min_bytes: int = 1 * MiB
    max_path_length: int = 1024
    max_manifest_bytes: int = 32 * MiB
    allow_external_urls: bool = True
