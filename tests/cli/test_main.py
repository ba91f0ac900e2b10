"""The ``callbox`` command as a shell user meets it: version, suggestions for typos, exit statuses
for a closed pipe, Ctrl-C and internal failures, and colour only where it belongs."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from callbox import __version__
from callbox.cli import lint as lint_command
from callbox.cli.main import main

ROOT = Path(__file__).resolve().parent.parent.parent
BAD = ROOT / "tests" / "fixtures" / "lint" / "11100" / "bad.xml"


def callbox_process(
    *argv: str, stdout: int, stderr: int, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "callbox", *argv], stdout=stdout, stderr=stderr, env=environ
    )


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"callbox {__version__}\n"


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["lnt", "samples"], "did you mean 'lint'?"),
        (["lint", "--formt", "json", "samples"], "did you mean '--format'?"),
        (["lint", "--format", "jsno", "samples"], "did you mean 'json'?"),
        (["call", "--presss", "1", "http://127.0.0.1/voice"], "did you mean '--press'?"),
        (["serve", "--prot", "8080"], "did you mean '--port'?"),
    ],
)
def test_a_mistyped_name_is_a_usage_error_that_suggests_the_right_one(
    argv: list[str], suggestion: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert suggestion in error
    assert "Traceback" not in error


def test_a_leftover_argument_is_named_without_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["call", "http://127.0.0.1/voice", "extra"])
    error = capsys.readouterr().err
    assert "unrecognized arguments: extra" in error
    assert "did you mean" not in error


def test_an_internal_failure_exits_2_with_one_line_never_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("the model fell over\nsecond line")

    monkeypatch.setattr(lint_command, "run", broken)
    monkeypatch.delenv("CALLBOX_DEBUG", raising=False)
    assert main(["lint", "samples"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "internal error: RuntimeError: the model fell over" in error
    assert "CALLBOX_DEBUG=1" in error


def test_callbox_debug_shows_the_traceback_of_an_internal_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(lint_command, "run", broken)
    monkeypatch.setenv("CALLBOX_DEBUG", "1")
    assert main(["lint", "samples"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly() -> None:
    # `callbox lint ... | head -1`: the reader is gone before the findings are written
    with callbox_process(
        "lint", str(ROOT / "tests" / "fixtures"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        error = process.stderr.read().decode()
        status = process.wait(timeout=60)
    assert status == 141
    assert error == ""


def test_ctrl_c_stops_a_call_with_130_and_no_traceback_after_streaming_its_start() -> None:
    with callbox_process(
        "call",
        "--twiml",
        '<Response><Say>Hold on</Say><Pause length="600"/></Response>',
        "--realtime",
        "--estimate",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        seen = []
        for raw in process.stdout:  # lines arrive while the call runs, not at its end
            seen.append(raw.decode())
            if " pause " in seen[-1]:
                break
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=60)
        error = process.stderr.read().decode()
    assert any("say      Hold on" in line for line in seen)
    assert status == 130
    assert "Traceback" not in error
    assert "interrupted" in error


def _lint_on_a_terminal(env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    process = callbox_process("lint", str(BAD), stdout=follower, stderr=subprocess.DEVNULL, env=env)
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(leader)
    return output.decode()


def test_findings_are_coloured_on_a_terminal_unless_no_color_is_set() -> None:
    assert "\033[31m" in _lint_on_a_terminal({})
    assert "\033[" not in _lint_on_a_terminal({"NO_COLOR": "1"})


def test_findings_are_never_coloured_into_a_pipe(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(BAD)]) == 1
    out = capsys.readouterr().out
    assert "11100" in out
    assert "\033[" not in out
