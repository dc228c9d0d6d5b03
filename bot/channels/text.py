"""Splitting long answers into messages a platform accepts, at the most natural boundary."""

from __future__ import annotations

from collections.abc import Callable

# Natural places to split, best first: paragraph, line, sentence, word.
BOUNDARIES = ("\n\n", "\n", ". ", " ")


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: in UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, length: Callable[[str], int] = len) -> list[str]:
    """``text`` in non-empty pieces of at most ``limit`` (as ``length`` counts), split where it reads best."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    pieces: list[str] = []
    rest = text.strip()
    while length(rest) > limit:
        cut = _cut(rest, _longest_fit(rest, limit, length))
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _longest_fit(text: str, limit: int, length: Callable[[str], int]) -> int:
    """The largest number of leading characters of ``text`` that ``length`` counts within ``limit``."""
    low, high = 1, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if length(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def _cut(text: str, fit: int) -> int:
    """Where to end the next piece: at the best boundary in its second half, else at any, else at ``fit``."""
    found = [(boundary, text.rfind(boundary, 0, fit)) for boundary in BOUNDARIES]
    candidates = [(boundary, position) for boundary, position in found if position > 0]
    for boundary, position in candidates:
        if position >= fit // 2:
            return _after(text, boundary, position)
    if candidates:
        boundary, position = max(candidates, key=lambda candidate: candidate[1])
        return _after(text, boundary, position)
    return fit


def _after(text: str, boundary: str, position: int) -> int:
    # A sentence keeps its full stop; whitespace boundaries are dropped between pieces.
    return position + 1 if boundary == ". " else position + len(boundary)
