"""Which element of a tree a libxml2 validation error is about, found in constant time.

libxml2 names the element by its node path (``/Response/Say[3]``) and its line. Both are
indexed once per tree, the way libxml2's ``xmlGetNodePath`` writes them, so that a document
with thousands of errors costs time linear in its size, not its size times its errors.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree


def node_path_step(element: etree._Element) -> str:
    """The element's name as a step of libxml2's node path: ``Say``, ``amazon:effect``, or ``*``
    for an element in a default namespace (a name XPath cannot write without a prefix)."""
    tag = str(element.tag)
    if not tag.startswith("{"):
        return tag
    local = tag.rpartition("}")[2]
    return f"{element.prefix}:{local}" if element.prefix else "*"


def _sibling_key(element: etree._Element) -> str:
    step = node_path_step(element)
    return step if step != "*" else f"*{element.tag}"


class ErrorLocator:
    """The elements of one tree by node path and by line, each index built on first use."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self._paths: dict[str, etree._Element] | None = None
        self._lines: dict[int, list[etree._Element]] | None = None
        self._namespaces: dict[str, str] | None = None

    def find(self, path: str | None, line: int, tag: str | None) -> etree._Element | None:
        """The element at ``path``, else the first on ``line`` with this tag (any, if None)."""
        if path:
            found = self.paths.get(path)
            if found is None:
                found = self._by_xpath(path)
            if found is not None:
                return found
        for element in self.lines.get(line, ()):
            if tag is None or element.tag == tag:
                return element
        return None

    @property
    def paths(self) -> dict[str, etree._Element]:
        if self._paths is None:
            self._paths = _node_paths(self.root)
        return self._paths

    @property
    def lines(self) -> dict[int, list[etree._Element]]:
        if self._lines is None:
            self._lines = {}
            for element in self.root.iter(etree.Element):
                if isinstance(element.sourceline, int):
                    self._lines.setdefault(element.sourceline, []).append(element)
        return self._lines

    def _by_xpath(self, path: str) -> etree._Element | None:
        """A path the index does not hold (a libxml2 spelling not foreseen), evaluated."""
        if self._namespaces is None:
            self._namespaces = {
                prefix: uri
                for element in self.root.iter(etree.Element)
                for prefix, uri in element.nsmap.items()
                if prefix
            }
        try:
            found = self.root.getroottree().xpath(path, namespaces=self._namespaces)
        except etree.XPathError:
            return None
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return found[0]
        return None


def _node_paths(root: etree._Element) -> dict[str, etree._Element]:
    """Every element's node path as libxml2 writes it: a step gets ``[n]`` (1-based) only when
    its parent has several children of that name; in a default namespace every element sibling
    counts, since the step is ``*``."""
    paths = {f"/{node_path_step(root)}": root}
    pending = [(root, f"/{node_path_step(root)}")]
    while pending:
        parent, prefix = pending.pop()
        children = [child for child in parent if isinstance(child.tag, str)]
        if not children:
            continue
        totals = Counter(_sibling_key(child) for child in children)
        seen: Counter[str] = Counter()
        for position, child in enumerate(children, 1):
            step = node_path_step(child)
            key = _sibling_key(child)
            seen[key] += 1
            if step == "*":
                index = position if len(children) > 1 else 0
            else:
                index = seen[key] if totals[key] > 1 else 0
            path = f"{prefix}/{step}[{index}]" if index else f"{prefix}/{step}"
            paths.setdefault(path, child)
            pending.append((child, path))
    return paths
