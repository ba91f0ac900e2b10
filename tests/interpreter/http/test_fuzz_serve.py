"""Fuzzing ``callbox serve``'s app: random paths (traversal, encoded bytes, NULs, long names),
methods, form bodies (with parameters named like a template's own names) and recording names.
Never a 500 (but for a template that fails, which says so with CF604), never a file from outside
the flows or data directory (not even through ``{% include %}``), never a traceback."""

from __future__ import annotations

import os
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from callbox.interpreter.http.app import ServerSettings, create_app
from callbox.interpreter.settings import RECORDINGS
from callbox.markup.parser import parse

ROOT = Path(__file__).resolve().parents[3]
ACCOUNT = "AC" + "0" * 32
SID = "RE" + "a" * 32
SECRET = "TOP-SECRET-OUTSIDE"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("serve-fuzz")
    flows = base / "flows"
    shutil.copytree(ROOT / "samples", flows)
    (flows / "broken.xml.j2").write_text("<Response><Say>{{ missing }}</Say></Response>")
    (flows / ".hidden.xml").write_text(f"<Response><Say>{SECRET}</Say></Response>")
    (base / "secret.xml").write_text(f"<Response><Say>{SECRET}</Say></Response>")
    (flows / "outside.xml").symlink_to(base / "secret.xml")
    (flows / "outside-dir").symlink_to(base)
    (flows / "names.xml.j2").write_text(
        "<Response>{% for i in range(2) %}<Say>{{ params.From | default('') }}</Say>{% endfor %}"
        "<Redirect>{{ url }}</Redirect></Response>"
    )
    (flows / "include.xml.j2").write_text("<Response>{% include 'outside.xml' %}</Response>")
    Path(os.fsdecode(os.fsencode(flows) + b"/\xff.xml")).write_text("<Response/>")
    data = base / "data"
    recordings = data / RECORDINGS
    recordings.mkdir(parents=True)
    with wave.open(str(recordings / f"{SID}.wav"), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\x00\x00" * 800)
    (data / f"{SID}.wav").write_text(SECRET)
    settings = ServerSettings(flows_dir=flows, data_dir=data, which=lambda _name: None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "..",
            ".",
            "",
            "%2e%2e",
            "%2E%2e%2f",
            "..%2f",
            "%00",
            "a%00b",
            "%ff%fe",
            "%c0%ae%c0%ae",
            ".hidden",
            "secret",
            "ivr-menu",
            "ivr-menu.xml",
            "caller-id",
            "caller-id.xml.j2",
            "broken",
            "voicemail",
            "~",
            "%5c..%5c",
            "..\\..",
            "a" * 300,
            "%25",
            "%",
            "index",
            "outside",
            "outside-dir",
            "outside-dir/secret",
            "names",
            "include",
            "/etc/passwd",
            "%2fetc%2fpasswd",
        ]
    ),
    st.text(max_size=12).map(lambda text: quote(text, safe="")),
)
RECORDING_NAMES = st.one_of(
    st.sampled_from(
        [
            SID,
            f"{SID}.wav",
            f"{SID}.json",
            f"{SID}.mp3",
            f"{SID}.WAV",
            f"{SID}%00",
            "RE",
            "..",
            f"..%2f{SID}",
            f"{SID}.wav/..",
            "RE" + "A" * 32,
            f"{SID}.json.json",
        ]
    ),
    st.text(max_size=40).map(lambda text: quote(text, safe="")),
)
ACCOUNTS = st.one_of(st.sampled_from([ACCOUNT, "AC", "..", "%00", "x" * 300]), st.just(ACCOUNT))


@st.composite
def paths(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return "/flows/" + "/".join(draw(st.lists(SEGMENTS, min_size=1, max_size=6)))
    if kind == 1:
        name = draw(RECORDING_NAMES)
        return f"/2010-04-01/Accounts/{draw(ACCOUNTS)}/Recordings/{name}"
    if kind == 2:
        return draw(st.sampled_from(["/", "/healthz", "/flows", "/flows/", "//flows//ivr-menu"]))
    return "/" + "/".join(draw(st.lists(SEGMENTS, min_size=1, max_size=4)))


FORM_BODIES = st.one_of(
    st.binary(max_size=200),
    st.dictionaries(
        st.sampled_from(
            [
                *("From", "To", "Digits", "CallSid", "SpeechResult", "x", "", "a b"),
                *("url", "params", "self", "range", "loop", "class", "dict", "caller"),
            ]
        ),
        st.text(max_size=40),
        max_size=5,
    ).map(lambda form: "&".join(f"{quote(k)}={quote(v)}" for k, v in form.items()).encode()),
    st.sampled_from([b"From=%ff%fe", b"=&&==", b"a" * 70_000, b"From=" + b"%00" * 20]),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "multipart/form-data",
        "text/plain",
        "application/json",
        "",
    ]
)
METHODS = st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"])


@given(
    path=paths(),
    method=METHODS,
    body=FORM_BODIES,
    content_type=CONTENT_TYPES,
    query=st.text(max_size=30),
)
def test_serve_never_fails_or_leaks_on_random_requests(
    client: TestClient, path: str, method: str, body: bytes, content_type: str, query: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    url = "http://testserver" + (f"{path}?{quote(query, safe='=&')}" if query else path)
    response = client.request(method, url, content=body, headers=headers)

    text = response.content.decode("utf-8", "replace")
    served_twiml = response.headers.get("content-type", "").startswith("text/xml")
    if response.status_code == 200 and method != "HEAD" and served_twiml:
        served = parse(response.content)  # whatever the request said, the TwiML parses
        assert served.ok, (path, body, served.diagnostics)
    assert "Traceback" not in text
    assert SECRET not in text
    if response.status_code >= 500:
        # HEAD answers have no body to say why
        failing = ("broken", "include")  # templates that fail, and say so with CF604
        documented = any(
            response.text.startswith(f"CF604 Template {name}.xml.j2 failed") for name in failing
        ) or (method == "HEAD" and any(name in path for name in failing))
        ffmpeg = response.status_code == 503 and (
            "install ffmpeg" in response.text or method == "HEAD"
        )
        assert documented or ffmpeg, (path, method, response.status_code, text[:200])
