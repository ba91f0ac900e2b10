"""Every example in README.md and docs/*.md runs as written and prints what the page says: each
fenced block is a test (``page:line``), executed for real in a temporary folder per page.

How to write an example so that it runs (the rules this module enforces):

- ``sh``/``bash``/``shell`` blocks run in bash, command by command (a line; a trailing ``\\``
  continues it), with the installed ``callbox`` on ``PATH``, in a folder that holds the clone's
  ``samples/``, ``tests/`` and ``.venv/``. Each command must exit 0, unless its comment says
  otherwise: ``callbox lint bad.xml    # an error: exit 1``.
- ``console`` blocks are commands after ``$ `` followed by what they print (standard output
  and error together), compared line by line. A line ``...`` stands for any lines, and ``…`` or
  ``...`` inside a line for any text. SIDs (``CA`` + 32 hex digits), auth tokens and the data
  directory (shown as ``/home/you/.local/share/callbox``) may differ.
- ``python`` blocks run with the venv's python, with ``samples/`` importable (``from myapp
  import app``); a block that defines ``test_`` functions is run by pytest, and must pass.
- ``http://127.0.0.1:5000`` is the samples' server (``callbox serve --flows samples``): the
  test starts one on a free port, with ``--clock virtual --estimate`` (the calls it runs itself
  show estimated speech durations; a page that shows them says so), and puts that port in its
  place. Local calls (``callbox call URL``) speak for real, with a speech cache of the page's own.
  ``TWILIO_ACCOUNT_SID`` and ``TWILIO_AUTH_TOKEN`` are its account, as it printed them.
- ``<!-- file: NAME -->`` right before a block writes the block into ``NAME`` in the page's
  folder (a caller script, a ``pyproject.toml``) instead of running it.
- ``<!-- not run: REASON -->`` right before a block skips it; the reason is required. Use it only
  for what cannot run here (it installs packages, it serves in the foreground).
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from callbox.testing.ports import free_port

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELLS = {"sh", "bash", "shell"}
LINKED = ("samples", "tests")  # what the examples read from the clone
TIMEOUT = 60  # seconds per block
DOCUMENTED_PORT = "127.0.0.1:5000"
# The dev environment's own pytest plugins, which a user's project would not load (schemathesis
# alone takes seconds to import); the callbox plugin and anyio's stay.
QUIET_PLUGINS = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")
DOCUMENTED_DATA_DIR = "/home/you/.local/share/callbox"

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<language>[\w-]*)[ \t]*$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>not run|file)\b\s*:?\s*(?P<value>.*?)\s*-->\s*$")
EXIT_COMMENT = re.compile(r"\s#\s[^#]*\bexit (?P<status>\d+)\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page, with the marker right before it, if any."""

    page: Path
    line: int
    language: str
    text: str
    marker: str = ""  # "not run" or "file"
    value: str = ""  # the marker's reason or file name

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks_of(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, start = opening["indent"], index
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index].removeprefix(indent))
            index += 1
        index += 1
        before = next((line for line in reversed(lines[:start]) if line.strip()), "")
        marker = MARKER.match(before)
        found.append(
            Block(
                page,
                start + 1,
                opening["language"],
                "\n".join(body) + "\n",
                marker["kind"] if marker else "",
                marker["value"] if marker else "",
            )
        )
    return found


def executable(block: Block) -> bool:
    return bool(block.marker) or block.language in SHELLS | {"console", "python"}


BLOCKS = [block for page in PAGES for block in blocks_of(page) if executable(block)]


# -- commands and what they print ------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    text: str
    status: int
    shown: list[str] | None  # the lines a console block shows; None: not checked


HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<word>\w+)\1")


def take_command(lines: list[str], index: int) -> tuple[Command, int]:
    """The command starting at ``lines[index]``: with the lines a trailing backslash continues it
    to and the body of its here-document; and the index of the line after it."""
    taken = [lines[index]]
    while taken[-1].rstrip().endswith("\\") and index + 1 < len(lines):
        index += 1
        taken.append(lines[index])
    status = expected_status(taken[-1])
    heredoc = HEREDOC.search("\n".join(taken))
    if heredoc:
        while index + 1 < len(lines):
            index += 1
            taken.append(lines[index])
            if lines[index].strip() == heredoc["word"]:
                break
    return Command("\n".join(taken), status, None), index + 1


def expected_status(line: str) -> int:
    said = EXIT_COMMENT.search(line)
    return int(said["status"]) if said else 0


def shell_commands(text: str) -> list[Command]:
    commands = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].strip() or lines[index].lstrip().startswith("#"):
            index += 1
            continue
        command, index = take_command(lines, index)
        commands.append(command)
    return commands


def console_commands(text: str) -> list[Command]:
    commands: list[Command] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].startswith("$ "):
            raise AssertionError(f"console output before any command: {lines[index]!r}")
        command, index = take_command([line.removeprefix("$ ") for line in lines], index)
        shown: list[str] = []
        while index < len(lines) and not lines[index].startswith("$ "):
            shown.append(lines[index])
            index += 1
        commands.append(Command(command.text, command.status, shown))
    return commands


def pattern_of(shown: str) -> str:
    """A shown line as a regular expression: ``…`` and ``...`` inside it stand for any text."""
    parts = re.split(r"…|\.\.\.", shown)
    return ".*?".join(re.escape(part) for part in parts)


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the printed lines are the shown ones; a shown ``...`` line is any lines."""
    expression = ""
    for line in shown:
        if line.strip() in ("...", "…"):
            expression += r"(?:[^\n]*\n)*?"
        else:
            expression += pattern_of(line.rstrip()) + r"[ \t]*\n"
    return re.fullmatch(expression, "".join(line + "\n" for line in printed)) is not None


# -- where the examples run -------------------------------------------------------------------


@dataclass
class SamplesServer:
    """``callbox serve --flows samples --clock virtual --estimate`` on a free loopback port."""

    port: int
    data_dir: Path
    account_sid: str
    auth_token: str

    def normalize(self, text: str) -> str:
        text = text.replace(f"127.0.0.1:{self.port}", DOCUMENTED_PORT)
        text = text.replace(str(self.data_dir), DOCUMENTED_DATA_DIR)
        text = re.sub(r"\b([A-Z]{2})[0-9a-f]{32}\b", r"\1<sid>", text)
        return re.sub(r"\b[0-9a-f]{32}\b", "<token>", text)


@pytest.fixture(scope="module")
def samples_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SamplesServer]:
    root = tmp_path_factory.mktemp("examples-server")
    port, data_dir, log = free_port(), root / "data", root / "serve.log"
    command = [sys.executable, "-m", "callbox", "serve", "--flows", str(ROOT / "samples")]
    command += [
        "--port",
        str(port),
        "--clock",
        "virtual",
        "--estimate",
        "--data-dir",
        str(data_dir),
    ]
    env = {**os.environ, "CALLBOX_CACHE_DIR": str(root / "speech-cache")}
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError(f"callbox serve exited:\n{log.read_text()}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        printed = log.read_text()
        [account_sid] = re.findall(r"account (AC[0-9a-f]{32})", printed)
        [auth_token] = re.findall(r"auth token ([0-9a-f]{32})", printed)
        yield SamplesServer(port, data_dir, account_sid, auth_token)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def page_folders(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    return {}


@pytest.fixture
def folder(
    block: Block, page_folders: dict[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The page's folder, shared by its blocks in page order: the clone's samples/ and tests/
    and the venv, linked in."""
    if block.page not in page_folders:
        made = tmp_path_factory.mktemp(block.page.stem)
        for name in LINKED:
            (made / name).symlink_to(ROOT / name)
        (made / ".venv").symlink_to(sys.prefix)
        page_folders[block.page] = made
    return page_folders[block.page]


def environment(server: SamplesServer, folder: Path) -> dict[str, str]:
    """What the examples see: the samples' server, its account, and a speech cache of the page's
    own (libespeak-ng's output depends on what the process rendered before, so a cache filled by
    another process would shift the timings a page shows)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CALLBOX_", "TWILIO_", "PYTEST_"))
        and key not in ("NO_COLOR", "FORCE_COLOR")
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["CALLBOX_DATA_DIR"] = str(server.data_dir)
    env["CALLBOX_CACHE_DIR"] = str(folder.parent / f"{folder.name}-speech-cache")
    env["CALLBOX_PUBLIC_URL"] = f"http://127.0.0.1:{server.port}"
    env["TWILIO_ACCOUNT_SID"] = server.account_sid
    env["TWILIO_AUTH_TOKEN"] = server.auth_token
    return env


def run(argv: list[str], folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs with no standard input, in a session of its own, stopped (with what it started in
    the background) at the end or after TIMEOUT seconds."""
    process = subprocess.Popen(
        argv,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"still running after {TIMEOUT} s; it printed:\n{output}") from None
    finally:
        with contextlib.suppress(ProcessLookupError):  # it ended with all it started
            os.killpg(process.pid, signal.SIGTERM)
    return subprocess.CompletedProcess(argv, process.returncode, output)


def script_of(commands: list[Command], captures: Path) -> str:
    """One bash script running each command in turn, its output and status kept apart."""
    lines = []
    for number, command in enumerate(commands):
        lines.append(f"{{ {command.text}\n}} >{captures}/{number}.out 2>&1")
        lines.append(f"echo $? >{captures}/{number}.status")
    return "\n".join(lines) + "\n"


def run_shell(block: Block, folder: Path, server: SamplesServer) -> None:
    text = block.text.replace(DOCUMENTED_PORT, f"127.0.0.1:{server.port}")
    commands = console_commands(text) if block.language == "console" else shell_commands(text)
    assert commands, "a block with no command"
    captures = folder.parent / f"{folder.name}-{block.line}"
    captures.mkdir()
    done = run(["bash", "-c", script_of(commands, captures)], folder, environment(server, folder))
    problems = []
    for number, command in enumerate(commands):
        shown = block.page.name, command.text
        status_file = captures / f"{number}.status"
        if not status_file.exists():
            problems.append(f"$ {shown[1]}\n  did not run (bash printed: {done.stdout})")
            break
        status = int(status_file.read_text())
        printed = server.normalize((captures / f"{number}.out").read_text(errors="replace"))
        if status != command.status:
            problems.append(
                f"$ {shown[1]}\n  exit {status}, the page says {command.status}:\n{printed}"
            )
        elif command.shown is not None:
            expected = [server.normalize(line) for line in command.shown]
            if not matches(expected, printed.splitlines()):
                problems.append(
                    f"$ {shown[1]}\n--- the page shows:\n"
                    + "\n".join(expected)
                    + f"\n--- it printed:\n{printed}"
                )
    assert not problems, "\n\n".join(problems)


def run_python(block: Block, folder: Path, server: SamplesServer) -> None:
    text = block.text.replace(DOCUMENTED_PORT, f"127.0.0.1:{server.port}")
    env = {**environment(server, folder), "PYTHONPATH": str(ROOT / "samples")}
    if re.search(r"^def test_", text, flags=re.M):
        path = folder / f"test_{block.page.stem}_{block.line}.py"
        path.write_text(text)
        argv = [sys.executable, "-m", "pytest", "-q", "-W", "error", *QUIET_PLUGINS, path.name]
    else:
        path = folder / f"{block.page.stem}_{block.line}.py"
        path.write_text(text)
        argv = [sys.executable, path.name]
    done = run(argv, folder, env)
    assert done.returncode == 0, f"{shlex.join(argv)} exited {done.returncode}:\n{done.stdout}"


@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_the_example_runs_as_the_page_says(
    block: Block, folder: Path, samples_server: SamplesServer
) -> None:
    if block.marker == "not run":
        assert block.value, "a <!-- not run --> marker must say why: <!-- not run: REASON -->"
        pytest.skip(f"not run: {block.value}")
    if block.marker == "file":
        assert block.value and "/" not in block.value, "<!-- file: NAME --> names a file"
        (folder / block.value).write_text(block.text)
    elif block.language == "python":
        run_python(block, folder, samples_server)
    else:
        run_shell(block, folder, samples_server)


def test_a_page_shows_output_with_ellipses_for_what_varies() -> None:
    printed = ["Call CA<sid>", "  POST http://127.0.0.1:5000/voice", "", "Call completed after 2 s"]
    assert matches(["Call CA…", "...", "Call completed after 2 s"], printed)
    assert matches(
        ["Call CA<sid>", "  POST http://127.0.0.1:5000/…", "", "Call … after 2 s"], printed
    )
    assert not matches(["Call CA…", "Call completed after 2 s"], printed)
    assert not matches(["Call CA…", "...", "Call completed after 3 s"], printed)


def test_a_command_that_fails_says_its_exit_status_in_its_comment() -> None:
    [lint, echo, plain] = shell_commands(
        "callbox lint bad.xml    # an error: exit 1\n"
        "# a comment line is no command\n"
        'callbox lint --warn-only bad.xml; echo "exit $?"   # exit 0\n'
        "callbox call http://127.0.0.1:5000/flows/ivr-menu \\\n  --press 1\n"
    )
    assert (lint.status, echo.status, plain.status) == (1, 0, 0)
    assert plain.text.endswith("--press 1")


def test_a_here_document_belongs_to_its_command() -> None:
    [python, version] = console_commands(
        "$ python - <<'PY'\nprint('hi')\nPY\nhi\n$ callbox --version\ncallbox 0.1.0\n"
    )
    assert (python.text, python.shown) == ("python - <<'PY'\nprint('hi')\nPY", ["hi"])
    assert (version.text, version.shown) == ("callbox --version", ["callbox 0.1.0"])


def test_a_marker_applies_to_the_block_right_after_it(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- not run: it serves in the foreground -->\n```sh\ncallbox serve\n```\n\n"
        "<!-- not run -->\n```sh\ncallbox serve\n```\n\n"
        "text\n\n```console\n$ callbox --version\ncallbox 0.1.0\n```\n"
    )
    [serve, unexplained, version] = blocks_of(page)
    assert (serve.marker, serve.value) == ("not run", "it serves in the foreground")
    assert (unexplained.marker, unexplained.value) == ("not run", "")
    assert (version.marker, version.line) == ("", 13)
    [command] = console_commands(version.text)
    assert (command.text, command.shown) == ("callbox --version", ["callbox 0.1.0"])
