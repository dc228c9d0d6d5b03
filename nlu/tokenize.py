"""spaCy's rule-based tokenizers, one per language, created on first use.

Only ``spacy.blank`` pipelines: they carry the tokenizer rules of a language and need no model download.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlu.languages import CORE_LANGUAGES

MULTILINGUAL = "xx"
MAX_WORDS_KEPT = 10_000
"""spaCy keeps every word it has tokenized in its vocabulary (about 0.9 kB each), for the life of the
pipeline: a serving process would grow with every new spelling it reads. Past this many words a language's
pipeline is made anew, which takes 30 to 90 ms, once per nine thousand or more new words."""

_pipelines: dict[str, Language] = {}


def blank_pipeline(language: str) -> Language:
    pipeline = _pipelines.get(language)
    if pipeline is None or len(pipeline.vocab) > MAX_WORDS_KEPT:
        pipeline = _pipelines[language] = spacy.blank(language)
    return pipeline


def tokenize(text: str, language: str) -> Doc:
    """The tokens of ``text`` by the rules of ``language``; other languages than the core ones, which the
    model never saw, by the multi-language rules (French rules alone would take two seconds to load)."""
    return blank_pipeline(language if language in CORE_LANGUAGES else MULTILINGUAL).make_doc(text)


def token_string(doc: Doc) -> str:
    """The tokens joined by single spaces: the input of the word and character n-gram features."""
    return " ".join(token.text for token in doc if not token.is_space)
