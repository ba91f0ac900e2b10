"""docs/messaging.md's pytest example runs as written, against the bot it defines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from callbox.testing import CallSimulator

PAGE = Path(__file__).resolve().parents[2] / "docs" / "messaging.md"


def test_the_pytest_example_of_the_messaging_page_passes(callbox: CallSimulator) -> None:
    [example] = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.S)
    namespace: dict[str, Any] = {}
    exec(compile(example, str(PAGE), "exec"), namespace)
    tests = [name for name in namespace if name.startswith("test_")]
    assert tests == ["test_the_bot_counts_messages", "test_stop_blocks_replies"]
    for name in tests:
        with CallSimulator() as simulator:
            namespace[name](simulator)
