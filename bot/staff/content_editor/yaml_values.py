"""Changing values in a German content file so that its comments and layout stay as staff wrote them.

Each changed value replaces exactly the characters of its YAML node; the rest
of the file is left byte for byte. Short texts are written plain, long ones as
folded blocks (``>-``) wrapped like the files already are, anything else
double-quoted. The result is parsed again and must hold exactly the expected
data; when it does not (or a value has no node yet), the file is rewritten as a
whole with its opening comment kept.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

import yaml

KeyPath = tuple[str, ...]
# Wrap folded texts like the hand-written files do.
WRAP_COLUMN = 100
# Up to this length a text stays on the line of its key.
SHORT_TEXT = 80
# Identifiers and references (office:bebra) stay bare; numbers and times are quoted so they stay text.
_BARE_ITEM = re.compile(r"[A-Za-z_][A-Za-z0-9_:.-]*")


class NotInPlace(Exception):
    """A value cannot be replaced where it stands; the file has to be rewritten."""


def set_values(text: str, changes: Mapping[KeyPath, Any]) -> str:
    """``text`` with the value at each path of ``changes`` replaced, in place where possible."""
    data = yaml.safe_load(text) or {}
    expected = copy.deepcopy(data)
    for path, value in changes.items():
        _assign(expected, path, value)
    try:
        changed = _replace_in_place(text, changes)
        if yaml.safe_load(changed) == expected:
            return changed
    except (NotInPlace, yaml.YAMLError):
        pass
    return _rewrite(text, expected)


def _replace_in_place(text: str, changes: Mapping[KeyPath, Any]) -> str:
    root = yaml.compose(text)
    if root is None:
        raise NotInPlace("the file is empty")
    spans: list[tuple[int, int, str]] = []
    for path, value in changes.items():
        node = _node_at(root, path)
        start, end = node.start_mark.index, node.end_mark.index
        original = text[start:end]
        # A block scalar owns the line breaks after it; they stay.
        tail = original[len(original.rstrip("\n")) :]
        spans.append((start, end, _render(value, _indent_of_line(text, start) + 2) + tail))
    spans.sort()
    for (_, previous_end, _), (start, _, _) in itertools.pairwise(spans):
        if start < previous_end:
            raise NotInPlace("two changes overlap")
    for start, end, replacement in reversed(spans):
        text = text[:start] + replacement + text[end:]
    return text


def _node_at(root: yaml.Node, path: KeyPath) -> yaml.Node:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = next((value for key, value in node.value if str(key.value) == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            found = node.value[int(part)]
        else:
            found = None
        if found is None:
            raise NotInPlace(f"{'.'.join(path)} is not in the file")
        node = found
    return node


def _indent_of_line(text: str, index: int) -> int:
    line = text[text.rfind("\n", 0, index) + 1 : index]
    return len(line) - len(line.lstrip(" "))


def _render(value: Any, indent: int) -> str:
    if isinstance(value, str):
        return _text(value, indent)
    if isinstance(value, list):
        return "[" + ", ".join(_flow_item(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow_item(item)}" for key, item in value.items()) + "}"
    raise NotInPlace(f"cannot write {type(value).__name__} in place")


def _text(value: str, indent: int) -> str:
    if len(value) <= SHORT_TEXT and _plain_is_safe(value):
        return value
    if len(value) > SHORT_TEXT and value == " ".join(value.split()):
        lines = textwrap.wrap(value, WRAP_COLUMN - indent, break_long_words=False, break_on_hyphens=False)
        return ">-\n" + "\n".join(" " * indent + line for line in lines)
    return json.dumps(value, ensure_ascii=False)


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip() or "\n" in value:
        return False
    try:
        return yaml.safe_load(f"key: {value}") == {"key": value}
    except yaml.YAMLError:
        return False


def _flow_item(item: Any) -> str:
    if isinstance(item, list | dict):
        return _render(item, 0)
    if isinstance(item, str) and _BARE_ITEM.fullmatch(item) and yaml.safe_load(item) == item:
        return item
    return json.dumps(item, ensure_ascii=False)


def _assign(data: Any, path: KeyPath, value: Any) -> None:
    *parents, last = path
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data.setdefault(part, {})
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def _rewrite(text: str, data: Any) -> str:
    """The whole file written anew from ``data``, under the comment it opened with."""
    opening = []
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            opening.append(line)
        else:
            break
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=WRAP_COLUMN, default_flow_style=False)
    return "\n".join([*opening, body.rstrip("\n")]) + "\n"
