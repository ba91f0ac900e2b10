"""callbox: lint, simulate and serve call flows written in TwiML, on one machine.

The import root of the project. ``callbox.markup`` turns bytes into typed documents and
diagnostics, ``callbox.interpreter`` runs one call, and the packages beside them (the
switchboard, the CLI) build the platform around the interpreter.
"""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    from importlib import metadata  # 0.1 s of imports (email parsing): only when asked

    try:
        return metadata.version("callbox")
    except metadata.PackageNotFoundError:  # pragma: no cover - a checkout never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    """``callbox.__version__``, read from the installed distribution on first use."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'callbox' has no attribute {name!r}")


__all__ = ["__version__"]  # provided by __getattr__
