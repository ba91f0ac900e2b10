"""Fuzzing what users type: caller scripts (``--script``) and the arguments of ``callbox call``
and ``callbox lint``. Bad input is a clear error (a ``ScriptError`` naming its line, exit status
2 with a message), never a traceback."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import uvicorn
from hypothesis import given
from hypothesis import strategies as st

from callbox.cli import call as call_command
from callbox.cli.main import main
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.script import Script, ScriptError, parse_script

WORDS = st.one_of(
    st.sampled_from(
        [
            "press",
            "say",
            "silence",
            "hangup",
            "when",
            "at",
            "dial",
            "after",
            "confidence",
            "answer",
            "busy",
            "no-answer",
            "fail",
            "failed",
            "talk",
            "forever",
            "1",
            "12#",
            "1w2W",
            "x",
            "0",
            "-1",
            "1.5",
            "nan",
            "inf",
            "-inf",
            "1e308",
            "1e400",
            "0.92",
            "2",
            '"main menu"',
            '"unterminated',
            "'single'",
            '""',
            '" "',
            "#",
            "# comment",
            "+15551234567",
            "client:alice",
            "sip:bob@example.com",
            "\\",
            "\x00",
            "☎",
        ]
    ),
    st.text(max_size=8),
)
LINES = st.lists(WORDS, max_size=8).map(" ".join)
SCRIPTS = st.lists(LINES, max_size=8).map("\n".join)


@given(text=st.one_of(SCRIPTS, st.text(max_size=200)))
def test_a_script_parses_or_fails_with_a_line_number(text: str) -> None:
    try:
        script = parse_script(text, "caller.txt")
    except ScriptError as error:
        assert 1 <= error.line <= max(1, len(text.splitlines()))
        assert str(error).startswith(f"caller.txt:{error.line}: ")
        assert error.reason
        return
    _assert_usable(script)


def _assert_usable(script: Script) -> None:
    """A script that parses drives a caller: its times are seconds a call can reach."""
    times = [rule.at for rule in script.timed]
    if script.hangup_at is not None:
        times.append(script.hangup_at)
    assert all(t >= 0 and not math.isnan(t) for t in times), script
    ScriptedCaller.from_script(script)


@given(
    hangups=st.lists(
        st.tuples(
            st.integers(0, 100).map(float),
            st.one_of(st.none(), st.integers(0, 100).map(float)),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_earliest_timed_hang_up_wins(hangups: list[tuple[float, float | None]]) -> None:
    lines = [
        f"at {at:g} hangup" + ("" if after is None else f" after {after:g}")
        for at, after in hangups
    ]
    expected = min(at + (after or 0.0) for at, after in hangups)
    assert parse_script("\n".join(lines)).hangup_at == expected


# --- callbox call -----------------------------------------------------------------------------


class _Placed(BaseException):
    """The arguments were accepted: the call would be placed now (the test stops there). Not an
    ``Exception``: ``main`` turns those into "internal error", exit status 2."""


async def _no_call(*args: object, **kwargs: object) -> None:
    raise _Placed


URLS = st.sampled_from(
    [
        "http://127.0.0.1:9/voice",
        "https://localhost/voice",
        "ftp://localhost/voice",
        "http://[::1",
        "http://",
        "voice.xml",
        "",
        "-",
        "http://exa mple.com/",
        "//127.0.0.1/voice",
        "http://127.0.0.1:99999/",
    ]
)
CALL_OPTIONS = st.one_of(
    st.tuples(
        st.sampled_from(
            [
                "--press",
                "--say",
                "--hangup-after",
                "--method",
                "--from",
                "--to",
                "--fallback-url",
                "--fallback-method",
                "--status-callback",
                "--status-callback-event",
                "--status-callback-method",
                "--public-url",
                "--format",
                "--account-sid",
                "--auth-token",
            ]
        ),
        st.one_of(URLS, WORDS.filter(lambda word: "\x00" not in word)),
    ).map(list),
    st.sampled_from([["--estimate"], ["--allow-private"], ["--realtime"], ["--bogus"], ["-x"]]),
)


@given(url=URLS, options=st.lists(CALL_OPTIONS, max_size=5))
def test_call_arguments_are_accepted_or_a_usage_error(
    url: str,
    options: list[list[str]],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(call_command, "place_call", _no_call)
    data = tmp_path_factory.mktemp("data")
    monkeypatch.chdir(data)  # a relative --data-dir among the fuzzed words is made here
    argv = ["call", url, "--estimate", "--data-dir", str(data)]
    argv += [word for option in options for word in option]
    try:
        status = main(argv)
    except _Placed:
        return
    except SystemExit as exited:
        status = exited.code  # type: ignore[assignment]
    _, err = capsys.readouterr()
    assert status == 2, (argv, err)
    assert "error" in err, (argv, err)
    assert "Traceback" not in err


@given(text=st.one_of(SCRIPTS, st.binary(max_size=100).map(lambda b: b.decode("latin-1"))))
def test_a_script_file_is_a_call_or_a_usage_error_naming_the_file(
    text: str,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(call_command, "place_call", _no_call)
    script = tmp_path_factory.mktemp("script") / "caller.txt"
    script.write_bytes(text.encode("latin-1", "replace"))
    try:
        status = main(["call", "http://127.0.0.1:9/voice", "--estimate", "--script", str(script)])
    except _Placed:
        return
    _, err = capsys.readouterr()
    assert status == 2
    assert f"{script}:" in err


# --- callbox lint -----------------------------------------------------------------------------

LINT_OPTIONS = st.one_of(
    st.tuples(
        st.sampled_from(["--format", "--select", "--ignore", "--dialect", "--explain"]),
        st.sampled_from(
            [
                "text",
                "json",
                "github",
                "yaml",
                "12200",
                "CF1",
                "cf",
                "schema-validation",
                "x",
                "",
                ",",
                "voice",
                "messaging",
                "auto",
                "99999",
                "1",
                "11100,CF109",
            ]
        ),
    ).map(list),
    st.sampled_from([["--strict"], ["--no-base-url"], ["--bogus"]]),
)
LINT_PATHS = st.sampled_from(
    [
        "DOCUMENT",
        "DIRECTORY",
        "missing.xml",
        "a" * 5000,
        "http://[::1",
        "ftp://example.com/x.xml",
        "file:///etc/passwd",
        "http://",
    ]
)


@given(
    document=st.binary(max_size=300),
    paths=st.lists(LINT_PATHS, max_size=3),
    options=st.lists(LINT_OPTIONS, max_size=3),
)
def test_lint_arguments_and_inputs_give_an_exit_status_never_a_traceback(
    document: bytes,
    paths: list[str],
    options: list[list[str]],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    directory = tmp_path_factory.mktemp("lint")
    (directory / "flow.xml").write_bytes(document)
    (directory / "nested").mkdir()
    (directory / "nested" / "other.xml").write_bytes(document[::-1])
    where = {"DOCUMENT": str(directory / "flow.xml"), "DIRECTORY": str(directory)}
    argv = ["lint"]
    for path in paths:
        argv.append(where.get(path) or (path if "://" in path else str(directory / path)))
    argv += [word for option in options for word in option]
    try:
        status = main(argv)
    except SystemExit as exited:
        status = exited.code  # type: ignore[assignment]
    _, err = capsys.readouterr()
    assert status in (0, 1, 2), (argv, status)
    assert "Traceback" not in err


def test_lint_reads_the_document_it_was_given(tmp_path: Path) -> None:
    """The fuzz above writes real files: a sanity check that they are linted, not skipped."""
    flow = tmp_path / "flow.xml"
    flow.write_bytes(b"<Response><Say>Hi</Say></Response>")
    assert main(["lint", str(flow)]) == 0


# --- callbox serve ----------------------------------------------------------------------------

SERVE_OPTIONS = st.tuples(
    st.sampled_from(["--host", "--port", "--flows", "--data-dir", "--public-url"]),
    st.one_of(URLS, st.sampled_from(["0", "-1", "65536", "5000", "x", "FLOWS", "::", "0.0.0.0"])),
).map(list)


@given(options=st.lists(SERVE_OPTIONS, max_size=4))
def test_serve_arguments_start_the_server_or_are_a_usage_error(
    options: list[list[str]],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(uvicorn, "run", _no_serve)
    flows = tmp_path_factory.mktemp("flows")
    monkeypatch.chdir(flows)  # a relative --data-dir among the fuzzed words is made here
    argv = ["serve", "--flows", str(flows), "--data-dir", str(flows)]
    argv += [str(flows) if word == "FLOWS" else word for option in options for word in option]
    try:
        status = main(argv)
    except _Placed:
        return
    except SystemExit as exited:
        status = exited.code  # type: ignore[assignment]
    _, err = capsys.readouterr()
    assert status == 2, (argv, err)
    assert "callbox serve" in err


def _no_serve(*args: object, **kwargs: object) -> None:
    raise _Placed
