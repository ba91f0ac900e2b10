"""``callbox serve``'s arguments: a bad one is a usage error (exit status 2), before any socket."""

from __future__ import annotations

from pathlib import Path

import pytest

from callbox.cli.main import main


@pytest.mark.parametrize("port", ["70000", "-1", "eighty", "1e3"])
def test_a_port_that_is_not_0_to_65535_is_a_usage_error(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 2
    assert f"argument --port: {port!r} is not a port number" in capsys.readouterr().err


def test_a_public_url_that_cannot_be_parsed_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--flows", str(tmp_path), "--public-url", "http://[::1"]) == 2
    assert "callbox serve: --public-url: the public URL must be" in capsys.readouterr().err
