"""spaCy's rule-based tokenizers, one per language, created on first use.

Only ``spacy.blank`` pipelines: they carry the tokenizer rules of a language and need no model download.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Languages without tokenizer rules of their own in spaCy fall back to the multi-language rules.
_SPACY_CODES = frozenset({"de", "en", "ar", "fa", "uk", "ru", "tr", "fr", "ti"})
MULTILINGUAL = "xx"


@cache
def blank_pipeline(language: str) -> Language:
    return spacy.blank(language if language in _SPACY_CODES else MULTILINGUAL)


def tokenize(text: str, language: str) -> Doc:
    return blank_pipeline(language).make_doc(text)


def token_string(doc: Doc) -> str:
    """The tokens joined by single spaces: the input of the word and character n-gram features."""
    return " ".join(token.text for token in doc if not token.is_space)
