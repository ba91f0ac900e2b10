"""Where callbox keeps its files and how it names itself: one place for the settings that
``callbox call`` and ``callbox serve`` share.

Each setting comes from its command-line option, else its environment variable, else a default:
the data directory (recordings), the speech cache, and the public base URL of the callbox server
(the host of every ``RecordingUrl``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ACCOUNT_SID_VARIABLES = ("CALLBOX_ACCOUNT_SID", "TWILIO_ACCOUNT_SID")
AUTH_TOKEN_VARIABLES = ("CALLBOX_AUTH_TOKEN", "TWILIO_AUTH_TOKEN")
"""Credentials come from callbox's variable, else the one Twilio's own tools read."""
DATA_DIR_VARIABLE = "CALLBOX_DATA_DIR"
CACHE_DIR_VARIABLE = "CALLBOX_CACHE_DIR"
PUBLIC_URL_VARIABLE = "CALLBOX_PUBLIC_URL"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
DEFAULT_PUBLIC_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
"""The address ``callbox serve`` listens on by default."""
RECORDINGS = "recordings"
"""Recordings live in ``data_dir/recordings``."""
SPEECH = "speech"
"""Rendered speech lives in ``cache_dir/speech``."""


class SettingsValueError(ValueError):
    """A setting whose value cannot be used (a public URL that is not absolute http(s)...)."""


def _variable(name: str, environ: Mapping[str, str]) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def first_variable(
    names: tuple[str, ...], environ: Mapping[str, str] = os.environ
) -> tuple[str, str] | None:
    """The first of ``names`` that is set (not empty), with its value."""
    for name in names:
        value = _variable(name, environ)
        if value is not None:
            return name, value
    return None


def _xdg(name: str, fallback: str, environ: Mapping[str, str]) -> Path:
    """``$name/callbox`` when ``$name`` is an absolute path (the XDG rule), else ``~/fallback``."""
    base = _variable(name, environ)
    if base is not None and Path(base).is_absolute():
        return Path(base) / "callbox"
    return Path.home() / fallback / "callbox"


def data_dir(option: str | Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """Recordings and other call data: ``--data-dir``, ``$CALLBOX_DATA_DIR``,
    ``$XDG_DATA_HOME/callbox``, ``~/.local/share/callbox``."""
    chosen = option if option else _variable(DATA_DIR_VARIABLE, environ)
    if chosen:
        return Path(chosen).expanduser()
    return _xdg("XDG_DATA_HOME", ".local/share", environ)


def cache_dir(option: str | Path | None = None, environ: Mapping[str, str] = os.environ) -> Path:
    """Files that can be made again (rendered speech): ``$CALLBOX_CACHE_DIR``,
    ``$XDG_CACHE_HOME/callbox``, ``~/.cache/callbox``."""
    chosen = option if option else _variable(CACHE_DIR_VARIABLE, environ)
    if chosen:
        return Path(chosen).expanduser()
    return _xdg("XDG_CACHE_HOME", ".cache", environ)


def public_url(
    option: str | None = None,
    environ: Mapping[str, str] = os.environ,
    default: str = DEFAULT_PUBLIC_URL,
) -> str:
    """The callbox server's public base URL, without a trailing slash: ``--public-url``,
    ``$CALLBOX_PUBLIC_URL``, ``default``. Raises ``SettingsValueError`` unless it is an
    absolute http(s) URL without a query or fragment."""
    url = (option or "").strip() or _variable(PUBLIC_URL_VARIABLE, environ) or default
    message = (
        f"the public URL must be an absolute http:// or https:// URL without a query, not {url!r}"
    )
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # http://[::1 cannot be split at all
        raise SettingsValueError(f"{message} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsValueError(message)
    return url.rstrip("/")


@dataclass(frozen=True)
class Settings:
    """The resolved settings of one command."""

    data_dir: Path
    cache_dir: Path
    public_url: str

    @property
    def recordings_dir(self) -> Path:
        return self.data_dir / RECORDINGS

    @property
    def speech_cache_dir(self) -> Path:
        return self.cache_dir / SPEECH


def resolve(
    *,
    data_dir_option: str | Path | None = None,
    public_url_option: str | None = None,
    default_public_url: str = DEFAULT_PUBLIC_URL,
    environ: Mapping[str, str] = os.environ,
) -> Settings:
    """Every setting, from the options given, then the environment, then the defaults."""
    return Settings(
        data_dir=data_dir(data_dir_option, environ),
        cache_dir=cache_dir(None, environ),
        public_url=public_url(public_url_option, environ, default_public_url),
    )
