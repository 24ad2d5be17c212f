"""Settings read from ``SCORM_PLAYER_*`` environment variables.

One typed object that the CLI, the web app and the tests build the same way, so a deployment
is configured by its environment alone. No Flask here: ``create_app`` and ``cli`` both call
:meth:`Settings.from_env`. Reading settings has no side effect; the secret key file is only
created when something asks for it (:func:`resolve_secret_key`).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from scorm_player import resources
from scorm_player.datamodel.policy import POLICIES
from scorm_player.packaging import ImportLimits

PREFIX = "SCORM_PLAYER_"
SECRET_KEY_FILE = "secret_key"
DATABASE_FILE = "scorm-player.sqlite3"

GiB = 1024**3
_DEFAULT_LIMITS = ImportLimits()
_SIZE = re.compile(r"^\s*(\d+)\s*([kmgt]?)(i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_HOST = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
DEFAULT_PORTS = {"http": 80, "https": 443}
#: With no SCORM_PLAYER_APP_URL/CONTENT_URL, the two host names of a local run (any port):
#: two origins (and two cookie jars) on one machine with no set-up.
LOCAL_APP_HOST = "localhost"
LOCAL_CONTENT_HOST = "127.0.0.1"

T = TypeVar("T")


class ConfigError(ValueError):
    """A variable has a value we cannot use. The message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything a running scorm-player needs to know about its deployment."""

    data_dir: Path
    database_url: str
    secret_key: str | None = field(default=None, repr=False)  # None: kept in <data_dir>/secret_key
    max_upload_bytes: int = 2 * GiB
    import_limits: ImportLimits = field(default_factory=ImportLimits)
    admin_user: str | None = None
    admin_password: str | None = field(default=None, repr=False)
    compat_policy: str = "lenient"  # datamodel.policy name; a course may override it
    runtime_token_ttl: int = 1800  # seconds a run-time token lives (the page renews it)
    # The two origins (web/security.py); None for both: localhost and 127.0.0.1, any port.
    app_url: str | None = None
    content_url: str | None = None
    frame_ancestors: tuple[str, ...] = ()  # origins allowed to frame the player (LMS hosts)
    return_hosts: tuple[str, ...] = ()  # origins the player's Exit may return to (?return_to=)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``environ`` (default ``os.environ``).

        :raises ConfigError: naming the first variable whose value is invalid.
        """
        env = os.environ if environ is None else environ

        def get(name: str, parse: Callable[[str, str], T], default: T) -> T:
            raw = env.get(PREFIX + name, "").strip()
            return parse(PREFIX + name, raw) if raw else default

        data_dir = get("DATA_DIR", _parse_path, default_data_dir())
        limits = ImportLimits(
            max_total_bytes=get("MAX_UNPACKED_BYTES", _parse_size, _DEFAULT_LIMITS.max_total_bytes),
            max_members=get("MAX_MEMBERS", _parse_positive_int, _DEFAULT_LIMITS.max_members),
            max_compression_ratio=get(
                "MAX_COMPRESSION_RATIO", _parse_ratio, _DEFAULT_LIMITS.max_compression_ratio
            ),
            allow_external_urls=get(
                "ALLOW_EXTERNAL_URLS", _parse_bool, _DEFAULT_LIMITS.allow_external_urls
            ),
        )
        admin_user = get("ADMIN_USER", _parse_text, None)
        admin_password = get("ADMIN_PASSWORD", _parse_text, None)
        if (admin_user is None) != (admin_password is None):
            raise ConfigError(
                f"{PREFIX}ADMIN_USER and {PREFIX}ADMIN_PASSWORD must be set together "
                "(the first designer account needs both)."
            )
        app_url = get("APP_URL", _parse_origin, None)
        content_url = get("CONTENT_URL", _parse_origin, None)
        _check_origins(app_url, content_url)
        return cls(
            data_dir=data_dir,
            database_url=get("DATABASE_URL", _parse_text, default_database_url(data_dir)),
            secret_key=get("SECRET_KEY", _parse_text, None),
            max_upload_bytes=get("MAX_UPLOAD_BYTES", _parse_size, 2 * GiB),
            import_limits=limits,
            admin_user=admin_user,
            admin_password=admin_password,
            compat_policy=get("COMPAT_POLICY", _parse_policy, "lenient"),
            runtime_token_ttl=get("RUNTIME_TOKEN_TTL", _parse_positive_int, 1800),
            app_url=app_url,
            content_url=content_url,
            frame_ancestors=get("FRAME_ANCESTORS", _parse_origins, ()),
            return_hosts=get("RETURN_HOSTS", _parse_origins, ()),
        )

    def local_urls(self, port: int) -> tuple[str, str]:
        """The app and content URLs, with the local defaults on ``port`` where unset."""
        return (
            self.app_url or f"http://{LOCAL_APP_HOST}:{port}",
            self.content_url or f"http://{LOCAL_CONTENT_HOST}:{port}",
        )


def default_data_dir() -> Path:
    """``packages/`` in a source checkout (git-ignored), else the user's data folder."""
    root = resources.source_checkout_root()
    if root is not None:
        return root / "packages"
    return Path.home() / ".local" / "share" / "scorm-player"


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DATABASE_FILE}"


def resolve_secret_key(settings: Settings) -> str:
    """The configured key, or one generated on first use and kept in the data folder.

    Keeping it on disk (mode 0600) means sessions survive a restart without anyone having to
    invent a key; setting ``SCORM_PLAYER_SECRET_KEY`` overrides it.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / SECRET_KEY_FILE
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


# --- Parsers: (variable name, raw text) -> value, or ConfigError naming the variable -------


def _parse_text(name: str, raw: str) -> str:
    return raw


def _parse_path(name: str, raw: str) -> Path:
    return Path(raw).expanduser()


def _parse_positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero, not {raw!r}.")
    return value


def _parse_size(name: str, raw: str) -> int:
    """Bytes, optionally with a binary suffix: ``2147483648``, ``500M``, ``2GiB``."""
    match = _SIZE.match(raw)
    if not match:
        raise ConfigError(
            f"{name} must be a size in bytes such as 2147483648, 500M or 2GiB, not {raw!r}."
        )
    number, unit, _ = match.groups()
    value = int(number) * _UNITS[unit.lower()]
    if value <= 0:
        raise ConfigError(f"{name} must be greater than zero, not {raw!r}.")
    return value


def _parse_ratio(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number such as 200, not {raw!r}.") from None
    if not value >= 1:  # also rejects NaN
        raise ConfigError(f"{name} must be at least 1, not {raw!r}.")
    return value


def _parse_policy(name: str, raw: str) -> str:
    lowered = raw.lower()
    if lowered not in POLICIES:
        raise ConfigError(f"{name} must be one of {', '.join(sorted(POLICIES))}, not {raw!r}.")
    return lowered


def _parse_origin(name: str, raw: str, *, wildcard: bool = False) -> str:
    """An origin, ``scheme://host[:port]``, normalised (lower case, no trailing slash)."""
    example = "https://content.example.com"
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError:
        raise ConfigError(f"{name} must be an origin such as {example}, not {raw!r}.") from None
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if (
        scheme not in DEFAULT_PORTS
        or parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc
        or not (_HOST.match(host) or _IPV6.match(host))
        or (host.startswith("*.") and not wildcard)
    ):
        raise ConfigError(
            f"{name} must be an origin (scheme, host and optional port, no path) such as "
            f"{example}, not {raw!r}."
        )
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def _parse_origins(name: str, raw: str) -> tuple[str, ...]:
    """Space-separated origins; a host may start with ``*.`` (any subdomain), as in CSP."""
    return tuple(_parse_origin(name, item, wildcard=True) for item in raw.split())


def _check_origins(app_url: str | None, content_url: str | None) -> None:
    """Both or neither, on two host names: cookies ignore ports, so a port is not enough."""
    if (app_url is None) != (content_url is None):
        raise ConfigError(
            f"{PREFIX}APP_URL and {PREFIX}CONTENT_URL must be set together (or neither, for "
            f"a local run on {LOCAL_APP_HOST} and {LOCAL_CONTENT_HOST})."
        )
    if app_url and content_url and urlsplit(app_url).hostname == urlsplit(content_url).hostname:
        raise ConfigError(
            f"{PREFIX}APP_URL and {PREFIX}CONTENT_URL must use two different host names "
            "(cookies are shared across ports, so a second port does not isolate content)."
        )


def _parse_bool(name: str, raw: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")
