"""The switchboard's errors: one base, ``SwitchboardError``, for misuse of its clock and registry."""

from __future__ import annotations


class SwitchboardError(Exception):
    """Base of the switchboard's errors."""


class SchedulerError(SwitchboardError):
    """The shared clock was used against its rules (released more often than held)."""
