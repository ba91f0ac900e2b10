"""The samples a user reads first are clean under the strictest lint, in the right dialect."""

from __future__ import annotations

from pathlib import Path

import pytest

from callbox.markup.check import check
from callbox.markup.dialect import Dialect

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
KINDS = {
    "ivr-menu.xml": Dialect.VOICE,
    "voicemail.xml": Dialect.VOICE,
    "voicemail-saved.xml": Dialect.VOICE,
    "call-forwarding.xml": Dialect.VOICE,
    "dial-a-number.xml": Dialect.VOICE,
    "sms-auto-reply.xml": Dialect.MESSAGING,
    "support-queue.xml": Dialect.VOICE,
    "support-hold.xml": Dialect.VOICE,
    "support-leave.xml": Dialect.VOICE,
    "support-agent.xml": Dialect.VOICE,
    "support-connect.xml": Dialect.VOICE,
    "team-conference.xml": Dialect.VOICE,
    "team-conference-moderator.xml": Dialect.VOICE,
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_sample_has_no_finding_at_all(name: str) -> None:
    path = SAMPLES / name
    result = check(path.read_bytes(), str(path), base_url=path.as_uri())
    assert [d.format() for d in result.diagnostics] == []
    assert result.dialect is KINDS[name]


def test_every_sample_is_listed() -> None:
    assert sorted(p.name for p in SAMPLES.glob("*.xml")) == sorted(KINDS)
