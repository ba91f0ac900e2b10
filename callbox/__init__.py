"""callbox: lint, simulate and serve call flows written in TwiML, on one machine.

The import root of the project. ``callbox.markup`` turns bytes into typed documents and
diagnostics, ``callbox.interpreter`` runs one call, and the packages beside them (the
switchboard, the CLI) build the platform around the interpreter.
"""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("callbox")
except metadata.PackageNotFoundError:  # pragma: no cover - a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
