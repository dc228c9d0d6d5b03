"""Text normalisation for matching and features, with a map back to the original offsets.

Newcomers type the same word in many ways: with or without Arabic diacritics, with an Arabic or a Persian
keyboard, ``Büro`` or ``Buero``, Turkish without dots. Everything the classifier and the entity matcher see goes
through :func:`normalise`, so the training data and the messages meet in one spelling. Entity offsets must point
into the text the user wrote, hence every output character remembers the span of input it came from.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_REMOVED = frozenset(
    "\u0640"  # tatweel, Arabic elongation
    "\u200b\u200d\u200e\u200f\u061c\ufeff\u00ad\u2060"  # zero-width space/joiner, direction marks, soft hyphen
)

# Arabic harakat, Quranic marks and the superscript alef: pronunciation hints that most people leave out.
_ARABIC_MARK_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC), (0x06DF, 0x06E8), (0x06EA, 0x06ED))

_REPLACEMENTS: dict[str, str] = {
    # Arabic and Persian keyboards type different code points for the same letters.
    "\u064a": "\u06cc",  # ي -> ی
    "\u0649": "\u06cc",  # ى -> ی
    "\u0626": "\u06cc",  # ئ -> ی
    "\u0643": "\u06a9",  # ك -> ک
    "\u0629": "\u0647",  # ة -> ه, informal Arabic writes the ta marbuta as ha
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0624": "\u0648",  # ؤ -> و
    "\u060c": ",",  # Arabic comma, so that the tokenizer splits at it
    "\u061b": ";",
    "\u061f": "?",
    "\u066a": "%",
    # Persian text joins morphemes with a zero-width non-joiner where phones often type a space.
    "\u200c": " ",
    # Ukrainian apostrophe and its look-alikes.
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u0060": "'",
    "\u00b4": "'",
    "\u2032": "'",
    # Russian writes ё as е more often than not.
    "ё": "е",
    # Turkish dotted capital I and dotless i; casefold would leave a combining dot or keep the dotless form.
    "\u0130": "i",
    "\u0131": "i",
    # German umlauts and sharp s in their transcribed spelling; Turkish cedilla and breve letters without marks,
    # as on an ASCII keyboard.
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "ş": "s",
    "ç": "c",
    "ğ": "g",
}
_REPLACEMENTS.update({chr(0x0660 + digit): str(digit) for digit in range(10)})  # Arabic-Indic digits
_REPLACEMENTS.update({chr(0x06F0 + digit): str(digit) for digit in range(10)})  # Persian digits

# Three or more equal letters are emphasis ("hiiilfe", "سلاااام"), never spelling.
_MAX_REPEAT = 2
_RUN = re.compile(rf"(\w)\1{{{_MAX_REPEAT},}}")
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """A normalised text and, for each of its characters, the span of the original text it came from."""

    text: str
    origins: tuple[tuple[int, int], ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that produced ``text[start:end]`` (``start < end``)."""
        return self.origins[start][0], self.origins[end - 1][1]


def _is_arabic_mark(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_MARK_RANGES)


def _fold(char: str) -> str:
    if char in _REMOVED or _is_arabic_mark(char):
        return ""
    if char.isspace():
        return " "
    replaced = _REPLACEMENTS.get(char)
    if replaced is not None:
        return replaced
    folded = char.casefold()
    if folded == char:
        return char
    return "".join(_REPLACEMENTS.get(part, part) for part in folded)


@lru_cache(maxsize=65536)
def _normalised_unit(unit: str) -> str:
    # Cached: a few thousand distinct units make up nearly every text, and training normalises tens of
    # thousands of texts character by character.
    return unicodedata.normalize("NFKC", "".join(_fold(c) for c in unicodedata.normalize("NFKC", unit)))


def _units(text: str) -> list[tuple[int, int]]:
    """Spans of base characters together with the combining marks that follow them."""
    units: list[tuple[int, int]] = []
    for index, char in enumerate(text):
        if units and unicodedata.combining(char) and not text[index - 1].isspace():
            units[-1] = (units[-1][0], index + 1)
        else:
            units.append((index, index + 1))
    return units


def normalise(text: str) -> NormalisedText:
    """NFKC, letter variants unified, marks removed, case folded, whitespace collapsed."""
    chars: list[str] = []
    origins: list[tuple[int, int]] = []
    for start, end in _units(text):
        for char in _normalised_unit(text[start:end]):
            if char == " " and (not chars or chars[-1] == " "):
                continue
            if char.isalpha() and len(chars) >= _MAX_REPEAT and all(c == char for c in chars[-_MAX_REPEAT:]):
                continue
            chars.append(char)
            origins.append((start, end))
    if chars and chars[-1] == " ":
        chars.pop()
        origins.pop()
    return NormalisedText("".join(chars), tuple(origins))


def normalised_text(text: str) -> str:
    """``normalise(text).text`` without the map back to the original, in a fraction of the time: for the tens of
    thousands of training texts."""
    folded = _SPACES.sub(" ", "".join(_normalised_unit(text[start:end]) for start, end in _units(text))).strip(" ")
    return _RUN.sub(_shorten_run, folded)


def _shorten_run(run: re.Match[str]) -> str:
    return run[0][:_MAX_REPEAT] if run[1].isalpha() else run[0]
