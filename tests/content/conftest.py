import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import DEFAULT_CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped content store that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, target)
    return target


@pytest.fixture
def edit(content_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace the first occurrence of a text in one file of the copy."""

    def replace(file: str, old: str, new: str) -> Path:
        path = content_copy / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return replace
