"""``callbox lint`` is strict by default and configured like ruff: ``[tool.callbox.lint]``,
inline suppressions, SARIF and JUnit output, colour, and the files a directory holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from callbox.cli.main import main

BAD_LOOP = b'<Response>\n  <Say loop="x">Hi</Say>\n</Response>\n'
NO_ACTION = (
    b'<Response>\n  <Gather numDigits="1">\n    <Say>Press 1</Say>\n  </Gather>\n</Response>\n'
)
UNFORMATTED = b'<Response>\n  <Dial action="/after">415-555-1212</Dial>\n</Response>\n'


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["lint", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory, the working directory of the test."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.callbox.lint]\n{table}\n")


def flow(project: Path, name: str, body: bytes) -> Path:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return path


# -- strict by default ---------------------------------------------------------------------------


def test_what_twilio_only_warns_about_is_an_error_in_lint(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "say.xml", BAD_LOOP)
    status, out, _ = lint(capsys, "say.xml")
    assert status == 1
    assert "1 problem (1 error, 0 warnings)" in out


def test_warn_only_restores_twilios_severities(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "say.xml", BAD_LOOP)
    status, out, _ = lint(capsys, "--warn-only", "--format", "json", "say.xml")
    assert status == 0
    assert [(d["code"], d["severity"]) for d in json.loads(out)] == [("13510", "warning")]


def test_the_e164_style_rule_is_off_until_selected(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "dial.xml", UNFORMATTED)
    assert lint(capsys, "dial.xml")[1] == "No problems in 1 file\n"
    status, out, _ = lint(capsys, "--select", "CF112", "dial.xml")
    assert (status, "CF112" in out) == (0, True)


# -- [tool.callbox.lint] ---------------------------------------------------------------------------


def test_configured_severities_select_and_per_file_ignores_apply(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(
        project,
        'extend-select = ["CF112"]\n'
        "[tool.callbox.lint.severities]\n"
        'gather-without-action = "error"\n'
        '"13" = "warning"\n'
        "[tool.callbox.lint.per-file-ignores]\n"
        '"legacy/*.xml" = ["CF1"]\n',
    )
    flow(project, "menu.xml", NO_ACTION)
    flow(project, "legacy/menu.xml", NO_ACTION)
    flow(project, "say.xml", BAD_LOOP)
    flow(project, "dial.xml", UNFORMATTED)
    status, out, _ = lint(capsys, "--format", "json", ".")
    found = sorted((d["path"], d["code"], d["severity"]) for d in json.loads(out))
    assert found == [
        ("dial.xml", "CF112", "warning"),
        ("menu.xml", "CF102", "error"),
        ("say.xml", "13510", "warning"),
    ]
    assert status == 1


def test_a_configured_ignore_and_warn_only_are_honoured(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, 'ignore = ["gather-without-action"]\nwarn-only = true')
    flow(project, "menu.xml", NO_ACTION)
    flow(project, "say.xml", BAD_LOOP)
    status, out, _ = lint(capsys, ".")
    assert status == 0
    assert "CF102" not in out and "13510" in out


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ('selct = ["CF1"]', "unknown key 'selct'"),
        ('select = ["CF999"]', "CF999: no code or symbol matches it"),
        ('select = "CF1"', "select must be a list of codes"),
        ('[tool.callbox.lint.severities]\nCF102 = "fatal"', 'must be "error" or "warning"'),
        ("select = [", "cannot read it"),
    ],
)
def test_a_bad_configuration_is_a_usage_error_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, complaint: str
) -> None:
    configure(project, table)
    flow(project, "menu.xml", NO_ACTION)
    status, out, err = lint(capsys, "menu.xml")
    assert status == 2
    assert out == ""
    assert str(project / "pyproject.toml") in err and complaint in err


# -- inline suppressions -------------------------------------------------------------------------


def test_a_suppression_before_the_root_silences_the_whole_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "menu.xml", b"<!-- callbox: ignore=CF102,13510 -->\n" + NO_ACTION)
    assert lint(capsys, "menu.xml")[:2] == (0, "No problems in 1 file\n")


def test_a_suppression_inside_applies_to_the_next_element_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = b"""<Response>
  <!-- callbox: ignore=gather-without-action -->
  <Gather numDigits="1">
    <Say>Press 1</Say>
  </Gather>
  <Gather numDigits="1"/>
</Response>
"""
    flow(project, "menu.xml", document)
    status, out, _ = lint(capsys, "--format", "json", "menu.xml")
    assert [(d["code"], d["line"]) for d in json.loads(out)] == [("CF102", 6)]
    assert status == 0  # a warning


# -- formats and colour --------------------------------------------------------------------------


def test_sarif_output_is_a_sarif_log_for_code_scanning(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "say.xml", BAD_LOOP)
    status, out, _ = lint(capsys, "--format", "sarif", "say.xml")
    log = json.loads(out)
    assert (status, log["version"]) == (1, "2.1.0")
    [run] = log["runs"]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["13510"]
    [result] = run["results"]
    location = result["locations"][0]["physicalLocation"]
    assert (result["ruleId"], result["level"]) == ("13510", "error")
    assert location["artifactLocation"]["uri"] == "say.xml"
    assert location["region"] == {"startLine": 2, "startColumn": 8}


def test_junit_output_has_a_test_case_per_file_failed_by_its_errors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "say.xml", BAD_LOOP)
    flow(project, "menu.xml", NO_ACTION)
    flow(project, "clean.xml", b"<Response><Hangup/></Response>")
    status, out, _ = lint(capsys, "--format", "junit", ".")
    suite = etree.fromstring(out.encode()).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("3", "1")
    cases = {str(case.get("name")): case for case in suite.iter("testcase")}
    assert sorted(cases) == ["clean.xml", "menu.xml", "say.xml"]
    failure = cases["say.xml"].find("failure")
    assert failure is not None and failure.get("type") == "13510"
    assert "CF102" in (cases["menu.xml"].findtext("system-out") or "")
    assert len(cases["clean.xml"]) == 0
    assert status == 1


def test_colour_when_asked_and_never_by_default_off_a_terminal(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    flow(project, "say.xml", BAD_LOOP)
    assert "\x1b[" not in lint(capsys, "say.xml")[1]
    assert "\x1b[31m" in lint(capsys, "--color", "always", "say.xml")[1]
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in lint(capsys, "say.xml")[1]


# -- files -----------------------------------------------------------------------------------------


def test_a_directory_holds_xml_twiml_and_templates_but_not_hidden_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(project, "flows/a.xml", BAD_LOOP)
    flow(project, "flows/b.twiml", BAD_LOOP)
    flow(
        project,
        "flows/c.xml.j2",
        b"<Response>\n{% if Digits == '1' %}<Hangup/>{% endif %}\n</Response>",
    )
    flow(project, "flows/.git/d.xml", BAD_LOOP)
    flow(project, "flows/notes.txt", b"hello")
    status, out, _ = lint(capsys, "--format", "json", "flows")
    assert sorted({d["path"] for d in json.loads(out)}) == ["flows/a.xml", "flows/b.twiml"]
    assert status == 1


def test_a_template_is_rendered_then_linted_and_a_failing_one_points_at_its_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow(
        project,
        "menu.xml.j2",
        b"<Response>\n{% if Digits == '1' %}\n  <Say loop=\"{{ times }}\">Hi</Say>\n{% endif %}\n"
        b"</Response>\n",
    )
    status, out, _ = lint(capsys, "menu.xml.j2")
    assert status == 1
    assert out.startswith(
        "menu.xml.j2:3:1: CF004 The template cannot be rendered: 'times' is undefined"
    )
    configure(project, '[tool.callbox.lint.template-parameters]\ntimes = "often"')
    status, out, _ = lint(capsys, "menu.xml.j2")
    assert '13510 <Say> loop="often" is invalid' in out
