"""``callbox sms``: texts an SMS app (by URL, or by a number the store knows) and prints its
replies and requests like ``callbox call`` prints a call, with the same exit statuses."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from callbox.cli import sms as sms_command
from callbox.cli.main import main
from callbox.interpreter.transports import in_process
from callbox.records import Account, IncomingPhoneNumber
from callbox.store import open_store

BASE = "http://127.0.0.1:18081"
APP_FILE = Path(__file__).resolve().parents[1] / "messaging" / "sms_app.py"


def load_app(seen: list[dict[str, Any]]) -> Any:
    spec = importlib.util.spec_from_file_location("sms_app", APP_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_app(seen)


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    requests: list[dict[str, Any]] = []
    app = load_app(requests)
    monkeypatch.setattr(sms_command, "make_client", lambda **_: in_process(app, BASE).client)
    return requests


def test_a_reply_is_printed_with_its_request_and_delivery(
    seen: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sms", f"{BASE}/sms", "--body", "hi", "--from", "+14155550100"]) == 0
    out = capsys.readouterr().out
    assert f"POST {BASE}/sms → 200 text/xml" in out
    assert "'Message 1: you said hi' (1 segment, GSM-7)" in out
    assert "delivered" in out
    assert "1 reply, 1 delivered" in out
    assert seen[0]["form"]["From"] == "+14155550100"


def test_media_and_json_output(
    seen: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "sms",
        f"{BASE}/sms",
        "--body",
        "two",
        "--media",
        "https://example.com/a.jpg",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert [reply["body"] for reply in data["replies"]] == ["First", "Second"]
    assert [h["status"] for h in data["replies"][1]["history"]] == [
        "queued",
        "sending",
        "sent",
        "delivered",
    ]
    assert [c["params"]["MessageStatus"] for c in data["replies"][1]["callbacks"]] == [
        "sending",
        "sent",
        "delivered",
    ]
    assert seen[0]["form"]["MediaUrl0"] == "https://example.com/a.jpg"
    assert seen[0]["form"]["MediaContentType0"] == "image/jpeg"


def test_an_app_that_fails_exits_1_with_the_code(
    seen: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sms", f"{BASE}/sms", "--body", "broken"]) == 1
    assert "Error 11200 ended this exchange." in capsys.readouterr().out


def test_the_fallback_url_answers_when_the_app_fails(
    seen: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["sms", f"{BASE}/sms", "--body", "broken", "--fallback-url", f"{BASE}/fallback"]
    assert main(argv) == 0
    assert "Sorry, something went wrong" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["sms", "ftp://example.com/sms", "--body", "hi"],
        ["sms", "not a url", "--body", "hi"],
        ["sms", "http://example.com/sms", "--body", "hi", "--fallback-url", "nope"],
        ["sms", "http://example.com/sms", "--body", "hi", *["--media", "https://e.com/a.png"] * 11],
        ["sms", "+14155550100", "--body", "hi", "--store", "memory"],
    ],
)
def test_unusable_targets_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert "callbox sms: error:" in capsys.readouterr().err


def test_a_number_is_texted_at_the_sms_url_the_store_has_for_it(
    seen: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    location = str(tmp_path / "callbox.db")
    store = open_store(location)
    now = datetime.now(UTC).replace(microsecond=0)
    account = "AC" + "5" * 32
    store.create(
        Account(
            sid=account,
            owner_account_sid=account,
            friendly_name="test",
            auth_token="t0ken",
            date_created=now,
            date_updated=now,
        )
    )
    store.create(
        IncomingPhoneNumber(
            sid="PN" + "6" * 32,
            account_sid=account,
            phone_number="+14155550199",
            friendly_name="bot",
            date_created=now,
            date_updated=now,
            sms_url=f"{BASE}/sms",
        )
    )
    store.close()
    assert main(["sms", "+14155550199", "--body", "hi", "--store", location]) == 0
    assert "Message 1: you said hi" in capsys.readouterr().out
    form = seen[0]["form"]
    assert form["To"] == "+14155550199" and form["AccountSid"] == account
