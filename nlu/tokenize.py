"""spaCy's rule-based tokenizers, one per language, created on first use.

Only ``spacy.blank`` pipelines: they carry the tokenizer rules of a language and need no model download.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlu.languages import CORE_LANGUAGES

MULTILINGUAL = "xx"


@cache
def blank_pipeline(language: str) -> Language:
    return spacy.blank(language)


def tokenize(text: str, language: str) -> Doc:
    """The tokens of ``text`` by the rules of ``language``; other languages than the core ones, which the
    model never saw, by the multi-language rules (French rules alone would take two seconds to load)."""
    return blank_pipeline(language if language in CORE_LANGUAGES else MULTILINGUAL).make_doc(text)


def token_string(doc: Doc) -> str:
    """The tokens joined by single spaces: the input of the word and character n-gram features."""
    return " ".join(token.text for token in doc if not token.is_space)
