"""Settings come from SCORM_PLAYER_* variables; a bad value names its variable."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scorm_player import resources
from scorm_player.config import ConfigError, Settings, default_data_dir, resolve_secret_key
from scorm_player.packaging import ImportLimits


def test_defaults_from_a_checkout() -> None:
    settings = Settings.from_env({})

    root = resources.source_checkout_root()
    assert root is not None  # the tests run from the repository
    assert settings.data_dir == root / "packages" == default_data_dir()
    assert settings.database_url == f"sqlite:///{root / 'packages' / 'scorm-player.sqlite3'}"
    assert settings.max_upload_bytes == 2 * 1024**3
    assert settings.import_limits == ImportLimits()
    assert settings.admin_user is None and settings.secret_key is None
    assert (settings.compat_policy, settings.runtime_token_ttl) == ("lenient", 1800)


def test_every_variable_is_read(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "SCORM_PLAYER_DATA_DIR": str(tmp_path),
            "SCORM_PLAYER_DATABASE_URL": "postgresql+psycopg://db/scorm",
            "SCORM_PLAYER_SECRET_KEY": "s3cret",
            "SCORM_PLAYER_MAX_UPLOAD_BYTES": "500M",
            "SCORM_PLAYER_MAX_UNPACKED_BYTES": "1GiB",
            "SCORM_PLAYER_MAX_MEMBERS": "100",
            "SCORM_PLAYER_MAX_COMPRESSION_RATIO": "50.5",
            "SCORM_PLAYER_ALLOW_EXTERNAL_URLS": "off",
            "SCORM_PLAYER_ADMIN_USER": "root",
            "SCORM_PLAYER_ADMIN_PASSWORD": "hunter2",
            "SCORM_PLAYER_COMPAT_POLICY": "Strict",
            "SCORM_PLAYER_RUNTIME_TOKEN_TTL": "600",
        }
    )

    assert settings.data_dir == tmp_path
    assert settings.database_url == "postgresql+psycopg://db/scorm"
    assert settings.secret_key == "s3cret"
    assert settings.max_upload_bytes == 500 * 1024**2
    assert settings.import_limits.max_total_bytes == 1024**3
    assert settings.import_limits.max_members == 100
    assert settings.import_limits.max_compression_ratio == 50.5
    assert settings.import_limits.allow_external_urls is False
    assert (settings.admin_user, settings.admin_password) == ("root", "hunter2")
    assert (settings.compat_policy, settings.runtime_token_ttl) == ("strict", 600)
    assert "hunter2" not in repr(settings) and "s3cret" not in repr(settings)


def test_return_hosts_are_origins() -> None:
    settings = Settings.from_env(
        {"SCORM_PLAYER_RETURN_HOSTS": "https://LMS.example.com:443 http://*.example.org:8080"}
    )

    assert settings.return_hosts == ("https://lms.example.com", "http://*.example.org:8080")


def test_the_database_follows_the_data_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"SCORM_PLAYER_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'scorm-player.sqlite3'}"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_UPLOAD_BYTES", "lots"),
        ("MAX_UPLOAD_BYTES", "0"),
        ("MAX_UNPACKED_BYTES", "-5"),
        ("MAX_MEMBERS", "1e3"),
        ("MAX_MEMBERS", "0"),
        ("MAX_COMPRESSION_RATIO", "0.5"),
        ("MAX_COMPRESSION_RATIO", "nan"),
        ("ALLOW_EXTERNAL_URLS", "maybe"),
        ("COMPAT_POLICY", "loose"),
        ("RUNTIME_TOKEN_TTL", "0"),
        ("RETURN_HOSTS", "https://lms.example.com/path"),
    ],
)
def test_a_bad_value_names_its_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"SCORM_PLAYER_{name}"):
        Settings.from_env({f"SCORM_PLAYER_{name}": value})


def test_the_admin_account_needs_both_variables() -> None:
    with pytest.raises(ConfigError, match="SCORM_PLAYER_ADMIN_PASSWORD"):
        Settings.from_env({"SCORM_PLAYER_ADMIN_USER": "root"})


def test_reading_settings_writes_nothing(tmp_path: Path) -> None:
    Settings.from_env({"SCORM_PLAYER_DATA_DIR": str(tmp_path / "data")})
    assert not (tmp_path / "data").exists()


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings.from_env({"SCORM_PLAYER_DATA_DIR": str(tmp_path / "data")})

    first = resolve_secret_key(settings)
    second = resolve_secret_key(settings)

    key_file = tmp_path / "data" / "secret_key"
    assert first == second and len(first) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_configured_secret_key_wins(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"SCORM_PLAYER_DATA_DIR": str(tmp_path), "SCORM_PLAYER_SECRET_KEY": "given"}
    )
    assert resolve_secret_key(settings) == "given"
    assert not (tmp_path / "secret_key").exists()
