"""``callbox lint`` as users run it: files, directories, stdin and URLs; formats, selection,
exit statuses and ``--explain``. In-process through ``callbox.cli.main``, and once for real.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from callbox.cli.lint_inputs import FILE_SUFFIXES, TEMPLATE_SUFFIX
from callbox.cli.main import main
from callbox.interpreter.http.flows import TEMPLATE_SUFFIX as SERVED_TEMPLATE_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
CLEAN = b"""<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather action="/menu/choice" numDigits="1">
    <Say>Press 1 for sales.</Say>
  </Gather>
  <Say>Goodbye.</Say>
</Response>
"""
WARNING_ONLY = b"""<Response>
  <Say>Leave a message.</Say>
  <Record maxLength="60"/>
</Response>
"""
WITH_ERROR = b"""<Response>
  <Say>Thanks.</Say>
  <Message>We got your call.</Message>
</Response>
"""
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/clean.xml": (200, "text/xml", CLEAN),
    "/warn.xml": (200, "text/xml; charset=utf-8", WARNING_ONLY),
    "/json": (200, "application/json", b'{"say": "hi"}'),
    "/huge.xml": (200, "text/xml", b"<Response>" + b"<Pause/>" * 10000 + b"</Response>"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if self.path == "/drip.xml":  # headers at once, then a byte every 0.1 s (slow drip)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.end_headers()
            try:
                self.wfile.write(b"<Response>")
                for _ in range(300):  # 30 s at most; stops when the client hangs up
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        if self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/warn.xml")
            self.end_headers()
            return
        status, content_type, body = PAGES.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["lint", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_clean_file_exits_zero_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "menu.xml", CLEAN)
    status, out, _ = lint(capsys, str(path))
    assert status == 0
    assert out == "No problems in 1 file\n"


def test_text_output_shows_location_source_line_caret_and_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "mixed.xml", WITH_ERROR)
    status, out, _ = lint(capsys, str(path))
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == (
        f"{path}:3:3: CF003 <Message> is a messaging verb, but this is a voice document "
        "(it has <Say>) [dialect-mismatch]"
    )
    assert lines[1] == "      <Message>We got your call.</Message>"
    assert lines[2] == "      ^"
    assert lines[3].startswith("    hint: ")
    assert lines[-1] == "1 problem (1 error, 0 warnings) in 1 file"


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "voicemail.xml", WARNING_ONLY)
    status, out, _ = lint(capsys, str(path))
    assert status == 0
    assert "CF103" in out
    assert out.splitlines()[-1] == "1 problem (0 errors, 1 warning) in 1 file"
    strict_status, _, _ = lint(capsys, "--strict", str(path))
    assert strict_status == 1


def test_json_output_is_a_list_of_findings_with_the_documented_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "voicemail.xml", WARNING_ONLY)
    status, out, _ = lint(capsys, "--format", "json", str(path))
    assert status == 0
    [finding] = json.loads(out)
    assert set(finding) == {
        "path", "line", "column", "code", "symbol", "severity", "message", "hint"
    }  # fmt: skip
    assert (finding["path"], finding["line"], finding["column"]) == (str(path), 3, 3)
    assert (finding["code"], finding["symbol"], finding["severity"]) == (
        "CF103",
        "record-without-action",
        "warning",
    )


def test_github_output_is_workflow_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "mixed.xml", WITH_ERROR)
    status, out, _ = lint(capsys, "--format", "github", str(path))
    assert status == 1
    [line] = out.splitlines()
    assert line.startswith(f"::error file={path},line=3,col=3,title=CF003 [dialect-mismatch]::")
    assert "%0A" in line  # the hint follows on its own line in the annotation


def test_select_and_ignore_take_codes_symbols_and_prefixes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "flow.xml",
        b"<Response><Gather numDigits='1'/><Say>Press 1</Say><Hangup/><Say>bye</Say></Response>",
    )
    _, everything, _ = lint(capsys, "--format", "json", str(path))
    assert {f["code"] for f in json.loads(everything)} == {"CF101", "CF102", "CF106"}
    _, selected, _ = lint(
        capsys, "--format", "json", "--select", "CF10", "--ignore", "CF101", str(path)
    )
    assert {f["code"] for f in json.loads(selected)} == {"CF102", "CF106"}
    _, by_symbol, _ = lint(
        capsys, "--format", "json", "--select", "unreachable-verb,gather-without-action", str(path)
    )
    assert {f["code"] for f in json.loads(by_symbol)} == {"CF101", "CF102"}
    _, repeated, _ = lint(
        capsys, "--format", "json", "--ignore", "CF101", "--ignore", "cf106", str(path)
    )
    assert {f["code"] for f in json.loads(repeated)} == {"CF102"}


def test_unknown_selector_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "menu.xml", CLEAN)
    status, out, err = lint(capsys, "--select", "XYZ9", str(path))
    assert (status, out) == (2, "")
    assert "XYZ9" in err


def test_directories_are_searched_recursively_for_xml_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "flows/menu.xml", CLEAN)
    write(tmp_path, "flows/sub/voicemail.xml", WARNING_ONLY)
    write(tmp_path, "flows/sub/notes.txt", b"not a flow")
    write(tmp_path, "flows/.hidden/broken.xml", b"<Response>")
    status, out, _ = lint(capsys, "--format", "json", str(tmp_path / "flows"))
    assert status == 0
    assert [f["path"] for f in json.loads(out)] == [str(tmp_path / "flows/sub/voicemail.xml")]
    _, text, _ = lint(capsys, str(tmp_path / "flows"))
    assert text.splitlines()[-1] == "1 problem (0 errors, 1 warning) in 1 file"


def test_links_to_files_are_linted_and_links_to_directories_are_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "elsewhere/voicemail.xml", WARNING_ONLY)
    write(tmp_path, "elsewhere/more/broken.xml", b"<Response>")
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "voicemail.xml").symlink_to(tmp_path / "elsewhere/voicemail.xml")
    (flows / "more").symlink_to(tmp_path / "elsewhere/more", target_is_directory=True)
    status, out, _ = lint(capsys, "--format", "json", str(flows))
    assert status == 0
    assert [f["path"] for f in json.loads(out)] == [str(flows / "voicemail.xml")]


def test_a_flow_in_the_current_directory_is_named_without_a_dot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "voice mail.xml", WARNING_ONLY)
    monkeypatch.chdir(tmp_path)
    status, out, _ = lint(capsys, "--format", "json", ".")
    assert status == 0
    assert [f["path"] for f in json.loads(out)] == ["voice mail.xml"]


def test_linting_files_does_not_load_the_http_client_or_the_switchboard(tmp_path: Path) -> None:
    path = write(tmp_path, "menu.xml", CLEAN)
    script = (
        "import sys; from callbox.cli.main import main; status = main(['lint', sys.argv[1]]); "
        "print(status, sorted(m for m in ('httpx', 'anyio', 'jinja2', 'callbox.switchboard') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=60, check=False
    )
    assert done.stdout.decode().splitlines()[-1] == "0 []", done.stderr


def test_lint_searches_directories_for_the_templates_callbox_serve_renders() -> None:
    assert TEMPLATE_SUFFIX == SERVED_TEMPLATE_SUFFIX
    assert TEMPLATE_SUFFIX in FILE_SUFFIXES


def test_a_directory_with_nothing_to_lint_says_so_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not a flow")
    status, out, err = lint(capsys, str(tmp_path))
    assert status == 2
    assert out == ""
    assert f"nothing to lint under {tmp_path}: no *.xml, *.twiml, *.xml.j2 files" in err


def test_a_utf8_mark_before_an_unknown_declared_encoding_is_a_12100_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = b'\xef\xbb\xbf<?xml version="1.0" encoding="foo-bar"?><Response><Foo/></Response>'
    path = write(tmp_path, "marked.xml", body)
    status, out, err = lint(capsys, str(path))
    assert status == 1
    assert f"{path}:1:1: 12100 Document parse failure: Unsupported encoding: foo-bar" in out
    assert err == ""


def test_missing_file_exits_two_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "menu.xml", CLEAN)
    status, _, err = lint(capsys, str(good), str(tmp_path / "nope.xml"))
    assert status == 2
    assert f"cannot read {tmp_path / 'nope.xml'}" in err
    assert "No such file" in err


def test_a_path_too_long_for_the_file_system_exits_two_and_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = lint(capsys, "a" * 5000)
    assert status == 2
    assert "cannot read aaaa" in err
    assert "Traceback" not in err


def test_no_paths_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = lint(capsys)
    assert status == 2
    assert "PATH" in err


def test_explain_prints_the_page_by_code_or_symbol(capsys: pytest.CaptureFixture[str]) -> None:
    status, by_code, _ = lint(capsys, "--explain", "CF102")
    assert status == 0
    assert by_code.startswith("# CF102 ")
    assert "## Fix" in by_code
    _, by_symbol, _ = lint(capsys, "--explain", "gather-without-action")
    assert by_symbol == by_code
    unknown, _, err = lint(capsys, "--explain", "CF999")
    assert unknown == 2
    assert "CF999" in err


def test_dialect_option_overrides_detection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "sms.xml", b"<Response><Message>Hi!</Message></Response>")
    assert lint(capsys, str(path))[0] == 0
    status, out, _ = lint(capsys, "--dialect", "voice", str(path))
    assert status == 1
    assert "CF003 <Message> is a messaging verb, but this is a voice document" in out


def test_relative_urls_are_errors_only_with_no_base_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "menu.xml", CLEAN)
    assert lint(capsys, str(path))[0] == 0
    status, out, _ = lint(capsys, "--no-base-url", str(path))
    assert status == 1
    assert f"{path}:3:11: 15004 <Gather action> URL '/menu/choice' is relative" in out


class EndlessBytes(io.RawIOBase):
    """A stream that never ends, like /dev/zero."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        buffer[:] = b"\0" * len(buffer)
        return len(buffer)


def test_an_endless_input_is_read_up_to_the_size_cap_and_reported_as_11750(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(EndlessBytes())))
    status, out, _ = lint(capsys, "-")
    assert status == 1
    assert "<stdin>:1:1: 11750 The document is over 65,536 bytes (reading stopped there)" in out


def test_an_endless_file_and_a_pipe_written_in_pieces_are_read_up_to_the_size_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = lint(capsys, "/dev/zero")
    assert status == 1
    assert "/dev/zero:1:1: 11750 The document is over 65,536 bytes" in out
    pipe = tmp_path / "flow.xml"
    os.mkfifo(pipe)

    def write_in_pieces() -> None:
        with pipe.open("wb") as stream:
            for line in WARNING_ONLY.splitlines(keepends=True):
                stream.write(line)
                stream.flush()
                time.sleep(0.01)

    writer = threading.Thread(target=write_in_pieces)
    writer.start()
    status, out, _ = lint(capsys, str(pipe))
    writer.join()
    assert status == 0
    assert f"{pipe}:3:3: CF103" in out


def test_stdin_is_read_with_a_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WARNING_ONLY)))
    status, out, _ = lint(capsys, "-")
    assert status == 0
    assert out.startswith("<stdin>:3:3: CF103 ")


def test_url_is_fetched_and_linted_under_its_own_name(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = lint(capsys, f"{server}/warn.xml", f"{server}/clean.xml")
    assert status == 0
    assert out.startswith(f"{server}/warn.xml:3:3: CF103 ")
    assert out.splitlines()[-1] == "1 problem (0 errors, 1 warning) in 1 file"


def test_url_redirects_are_followed(server: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = lint(capsys, "--format", "json", f"{server}/moved")
    assert [f["code"] for f in json.loads(out)] == ["CF103"]


@pytest.mark.parametrize(
    ("page", "reason"),
    [("/missing.xml", "HTTP 404"), ("/loop", "more than 10 redirects")],
)
def test_unfetchable_url_exits_two_and_says_why(
    server: str, page: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = lint(capsys, server + page)
    assert status == 2
    assert f"cannot fetch {server}{page}: {reason}" in err


def test_a_url_that_cannot_be_parsed_exits_two_and_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = lint(capsys, "http://[::1")
    assert status == 2
    assert "cannot fetch http://[::1: " in err


def test_a_url_on_a_private_network_is_refused_as_a_call_would_refuse_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = lint(capsys, "http://10.255.255.1/flow.xml")
    assert status == 2
    assert "cannot fetch http://10.255.255.1/flow.xml: " in err
    assert "private addresses are refused" in err


def test_a_slow_drip_body_is_cut_at_the_total_timeout_with_11205(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Twilio's #tt= fragment shortens the 15 s budget; every byte arrives within the read timeout
    status, _, err = lint(capsys, f"{server}/drip.xml#tt=500")
    assert status == 2
    assert f"cannot fetch {server}/drip.xml#tt=500: " in err
    assert "within 0.5 s (total timeout)" in err


def test_a_redirect_to_the_metadata_address_is_refused_before_connecting(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = lint(capsys, f"{server}/to-metadata")
    assert status == 2
    assert "169.254.169.254" in err and "link-local" in err


def test_non_http_url_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = lint(capsys, "file:///etc/passwd")
    assert status == 2
    assert "only http and https" in err


def test_url_with_wrong_content_type_or_too_big_reports_twilio_codes(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = lint(capsys, "--format", "json", f"{server}/json", f"{server}/huge.xml")
    assert status == 1
    found = [(f["path"], f["code"]) for f in json.loads(out)]
    assert (f"{server}/json", "12300") in found
    assert (f"{server}/json", "12100") in found
    assert found[-1] == (f"{server}/huge.xml", "11750")


def test_real_process_lints_stdin_and_a_url(server: str, tmp_path: Path) -> None:
    callbox = ROOT / ".venv" / "bin" / "callbox"
    done = subprocess.run(
        [str(callbox), "lint", "--format", "json", "-", f"{server}/warn.xml"],
        input=WITH_ERROR,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    found = [(f["path"], f["code"]) for f in json.loads(done.stdout)]
    assert found == [("<stdin>", "CF003"), (f"{server}/warn.xml", "CF103")]
