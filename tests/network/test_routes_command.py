"""``callbox routes``: the candidates, scores and choice for a number, and with --simulate the
expected cost and answer or delivery rate; clear errors and exit statuses for bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from callbox.cli.main import main
from callbox.network import NetworkConfig

ConfigMaker = Callable[..., NetworkConfig]
Carrier = Callable[..., str]
DECKS = {"cheap": "44,GB,0.0050,,,0.0200,", "middle": "44,GB,0.0080,,,0.0250,"}


@pytest.fixture
def config_path(make_config: ConfigMaker, carrier: Carrier) -> Path:
    text = carrier("cheap", extra="asr = 0.10") + carrier("middle")
    config = make_config(text, decks=DECKS)
    config.path.write_text(text)
    return config.path


def test_routes_prints_candidates_scores_and_the_choice(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["routes", "+447700900123", "--carriers", str(config_path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("+447700900123  GB  (prefix 44, voice)")
    assert "middle" in lines[2] and "yes" in lines[2]
    assert "cheap" in lines[3] and "[ASR 0.10 below 0.30]" in lines[3]
    assert lines[-1] == "choice: middle"


def test_routes_simulate_reports_expected_cost_and_answer_rate(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "routes",
        "+447700900123",
        "--carriers",
        str(config_path),
        "--simulate",
        "400",
        "--json",
    ]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["choice"] == "middle"
    simulation = document["simulation"]
    assert simulation["count"] == 400
    assert 0.4 < simulation["success_rate"] < 0.6  # ASR 0.5, no faults
    assert sum(simulation["statuses"].values()) == 400
    total = sum(float(cost) for cost in simulation["cost_by_carrier"].values())
    assert float(simulation["total_cost"]) == pytest.approx(total)
    assert float(simulation["total_cost"]) > 0


def test_routes_simulates_messages_with_their_delivery_rate(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["routes", "+447700900123", "--carriers", str(config_path), "--messages"]
    assert main([*argv, "--simulate", "200", "--segments", "2"]) == 0
    out = capsys.readouterr().out
    assert "(prefix 44, messaging)" in out
    assert "simulated 200 messages (seed 0):" in out
    # cheap's low ASR does not count against it for messages: 2 segments x 0.0200 each
    assert "expected cost: 8.00000 USD in all, 0.04000 per message" in out


def test_routes_on_the_shipped_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "+447700900123", "--at", "2026-12-03T12:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "GB mobile" in out and "choice: " in out
    for name in ("atlas", "bluewave", "delta"):
        assert name in out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["routes", "+44abc"], 2, "not a phone number in E.164 form (+CC...) (21211)"),
        (["routes", "+33612345678"], 1, "no carrier serves +33612345678 for voice (21215)"),
        (["routes", "+33612345678", "--messages"], 1, "for messaging (21408)"),
    ],
)
def test_routes_errors_are_one_line_with_a_code(
    config_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    status: int,
    message: str,
) -> None:
    assert main([*argv, "--carriers", str(config_path)]) == status
    err = capsys.readouterr().err
    assert err.startswith("callbox routes: ") and message in err
    assert "Traceback" not in err


def test_routes_with_a_broken_config_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "carriers.toml"
    path.write_text("[[carriers]]\nname = 'x'\nasr = 7\n")
    assert main(["routes", "+447700900123", "--carriers", str(path)]) == 2
    assert "carriers.toml: carriers[0].asr: 7 is outside 0..1" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option", [["--simulate", "0"], ["--simulate", "x"], ["--rate", "0"], ["--at", "noon"]]
)
def test_routes_bad_options_are_usage_errors(
    option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["routes", "+447700900123", *option])
    assert exit.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
