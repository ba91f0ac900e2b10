"""Hosting call-flow files: plain XML and Jinja2 templates, never a file outside the directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from callbox.interpreter.http.app import ServerSettings, create_app


@pytest.fixture
def flows_dir(tmp_path: Path) -> Path:
    root = tmp_path / "flows"
    (root / "support").mkdir(parents=True)
    (root / "menu.xml").write_text("<Response><Say>Main menu</Say></Response>")
    (root / "support" / "hours.xml").write_text("<Response><Say>9 to 5</Say></Response>")
    (root / "greet.xml.j2").write_text(
        "<Response><Say>Hello {{ From }}, you pressed {{ params.Digits | default('nothing') }}"
        "</Say></Response>"
    )
    (root / "broken.xml.j2").write_text("<Response><Say>{{ missing }}</Say></Response>")
    (root / ".hidden.xml").write_text("<Response/>")
    (tmp_path / "secret.xml").write_text("<Response><Say>secret</Say></Response>")
    return root


@pytest.fixture
def client(flows_dir: Path) -> TestClient:
    return TestClient(create_app(ServerSettings(flows_dir=flows_dir)))


def test_plain_flow_is_served_as_xml(client: TestClient) -> None:
    response = client.post("/flows/menu", data={"CallSid": "CA1"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text == "<Response><Say>Main menu</Say></Response>"


def test_nested_flow_and_suffix_are_accepted(client: TestClient) -> None:
    assert "9 to 5" in client.get("/flows/support/hours.xml").text


def test_template_is_filled_from_form_and_query(client: TestClient) -> None:
    response = client.post("/flows/greet?Digits=7", data={"From": "+15551230000"})
    assert response.text == "<Response><Say>Hello +15551230000, you pressed 7</Say></Response>"


def test_template_values_are_xml_escaped(client: TestClient) -> None:
    response = client.get("/flows/greet", params={"From": "</Say><Hangup/>"})
    assert "<Hangup/>" not in response.text
    assert "&lt;/Say&gt;&lt;Hangup/&gt;" in response.text


def test_template_values_lose_the_characters_xml_cannot_hold(client: TestClient) -> None:
    response = client.post("/flows/greet", data={"From": "a\x00b\x01c\ufffed<"})
    assert response.text == "<Response><Say>Hello abcd&lt;, you pressed nothing</Say></Response>"


def test_template_error_is_a_500_with_the_reason(client: TestClient) -> None:
    response = client.get("/flows/broken")
    assert response.status_code == 500
    assert "missing" in response.text


@pytest.mark.parametrize(
    "path", ["/flows/../secret", "/flows/%2e%2e/secret", "/flows/.hidden", "/flows/nope"]
)
def test_paths_outside_the_directory_or_hidden_are_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "secret" not in response.text.replace("'../secret'", "")


def test_index_lists_flows(client: TestClient) -> None:
    names = [flow["name"] for flow in client.get("/").json()["flows"]]
    assert names == ["broken", "greet", "menu", "support/hours"]


def test_index_lists_only_flows_that_can_be_served(client: TestClient, flows_dir: Path) -> None:
    (flows_dir / "outside.xml").symlink_to(flows_dir.parent / "secret.xml")
    (Path(os.fsdecode(os.fsencode(flows_dir) + b"/\xff.xml"))).write_text("<Response/>")
    response = client.get("/")
    assert response.status_code == 200
    names = [flow["name"] for flow in response.json()["flows"]]
    assert names == ["broken", "greet", "menu", "support/hours"]
    assert client.get("/flows/outside").status_code == 404


@pytest.mark.parametrize(
    "path", ["/flows/a%00b", "/flows/%00", "/flows/" + "a" * 300, "/flows/" + "a/" * 3000]
)
def test_names_no_file_can_have_are_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.text.startswith("No flow called")


@pytest.mark.parametrize("name", ["url", "params", "self", "range", "loop", "dict", "class"])
def test_a_request_parameter_named_like_the_templates_own_names_does_not_break_it(
    flows_dir: Path, name: str
) -> None:
    (flows_dir / "names.xml.j2").write_text(
        "<Response>{% for i in range(2) %}<Say>{{ params.From }} {{ i }}</Say>{% endfor %}"
        "<Redirect>{{ url }}</Redirect></Response>"
    )
    client = TestClient(create_app(ServerSettings(flows_dir=flows_dir)))
    response = client.post("/flows/names", data={name: "hostile", "From": "+1555"})
    assert response.status_code == 200, response.text
    assert "<Say>+1555 1</Say>" in response.text
    assert "<Redirect>http://testserver/flows/names</Redirect>" in response.text


def test_include_opens_only_what_flows_name_would_serve(flows_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "passwd").write_text("root:x:0:0")
    (flows_dir / "linked.xml").symlink_to(tmp_path / "passwd")
    (flows_dir / ".secret.xml").write_text("hidden-token")
    (flows_dir / "part.xml").write_text("<Say>shared part</Say>")
    client = TestClient(create_app(ServerSettings(flows_dir=flows_dir)))
    for target in ("linked.xml", ".secret.xml", "../secret.xml", "support/../.secret.xml"):
        (flows_dir / "inc.xml.j2").write_text(f"<Response>{{% include '{target}' %}}</Response>")
        response = client.get("/flows/inc")
        assert response.status_code == 500, target
        assert "CF604" in response.text
        assert "root:x" not in response.text and "hidden-token" not in response.text
        assert "secret</Say>" not in response.text
    (flows_dir / "inc.xml.j2").write_text("<Response>{% include 'part.xml' %}</Response>")
    assert client.get("/flows/inc").text == "<Response><Say>shared part</Say></Response>"


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(100000) %}<Pause/>{% endfor %}",  # 800 KB of output
        "{{ 'a' * 1000000000 }}",
        "{{ 'a' | center(1000000000) }}",
        "{{ 'a'.ljust(1000000000) }}",
        "{{ 9 ** 999999999 }}",
        "{{ ((10 ** 64) ** 64) ** 64 ** 2 }}",  # left to right: (10 ** 4096) ** 4096
        "{{ '%1000000000s' % 'a' }}",
    ],
)
def test_a_template_past_its_size_limits_fails_with_cf604(flows_dir: Path, body: str) -> None:
    (flows_dir / "big.xml.j2").write_text(f"<Response>{body}</Response>")
    client = TestClient(create_app(ServerSettings(flows_dir=flows_dir)))
    response = client.get("/flows/big")
    assert response.status_code == 500
    assert response.text.startswith("CF604 ")
    assert len(response.content) < 10_000


@pytest.mark.parametrize(
    "body",
    [
        # nested loops with nothing to check a deadline in, and with calls that do
        "{% set r = range(100000)|list %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ '' }}{% endfor %}{% endfor %}",
    ],
)
def test_a_template_that_runs_too_long_is_stopped_with_cf604(flows_dir: Path, body: str) -> None:
    (flows_dir / "slow.xml.j2").write_text(f"<Response>{body}</Response>")
    client = TestClient(create_app(ServerSettings(flows_dir=flows_dir, max_template_seconds=0.3)))
    response = client.get("/flows/slow")
    assert response.status_code == 500
    assert "CF604" in response.text and "0.3 s" in response.text
    assert client.get("/flows/menu").status_code == 200  # the server goes on


def test_big_numbers_and_percent_signs_from_the_caller_render_as_usual(flows_dir: Path) -> None:
    (flows_dir / "account.xml.j2").write_text(
        "<Response><Say>{{ params.Digits | int + 1 }} {{ params.Body | upper }}</Say></Response>"
    )
    client = TestClient(create_app(ServerSettings(flows_dir=flows_dir)))
    response = client.post(
        "/flows/account", data={"Digits": "123456789012", "Body": "50%1000000s off"}
    )
    assert response.status_code == 200, response.text
    assert "<Say>123456789013 50%1000000S OFF</Say>" in response.text
