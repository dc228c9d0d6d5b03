"""Tiny Argos Translate packages, built at test time: nothing is downloaded.

Each package holds a sentencepiece model trained on a few lines and a
one-layer CTranslate2 Transformer with random weights, whose output layer is
biased towards one word of the target language: whatever it is given, the
model answers with that word repeated. So a test can tell which model a text
went through (the ``fa → en`` model says "Hello", ``en → de`` says "Hallo").
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import numpy as np
import pytest
import sentencepiece
from ctranslate2.converters import Converter
from ctranslate2.specs import TransformerSpec, model_spec

from bot.store import EmbeddedStore
from bot.translation_cli import install_package_file

# The word each package's model answers with.
SIGNATURE_WORDS: dict[tuple[str, str], str] = {
    ("fa", "de"): "Guten",
    ("fa", "en"): "Hello",
    ("en", "de"): "Hallo",
    ("de", "en"): "Welcome",
    ("en", "fa"): "سلام",
}
LANGUAGE_NAMES = {"fa": "Persian", "de": "German", "en": "English"}
TRAINING_LINES = (
    "سلام من به کمک نیاز دارم",
    "کجا می توانم مشاوره بگیرم",
    "Hallo ich brauche Hilfe",
    "Guten Tag wo ist die Beratung",
    "Hello I need help",
    "Welcome where is the counselling office",
)
MODEL_WIDTH = 16
FEED_FORWARD_WIDTH = 32
# Far above the random logits, so the signature word always wins (and the end of sentence never does).
SIGNATURE_BIAS = 100.0


def build_package(directory: Path, source: str, target: str, version: str = "1.0") -> Path:
    """A ``.argosmodel`` file for ``source → target`` whose model always answers with its signature word."""
    name = f"translate-{source}_{target}-{version.replace('.', '_')}"
    root = directory / name
    (root / "model").mkdir(parents=True)
    vocabulary = _train_sentencepiece(root / "sentencepiece.model")
    _TinyTransformer(vocabulary, vocabulary.index("▁" + SIGNATURE_WORDS[(source, target)])).convert(
        str(root / "model"), force=True
    )
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": source,
        "from_name": LANGUAGE_NAMES[source],
        "to_code": target,
        "to_name": LANGUAGE_NAMES[target],
        "type": "translate",
    }
    (root / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    archive = directory / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w") as package:
        for path in sorted(root.rglob("*")):
            package.write(path, path.relative_to(directory).as_posix())
    return archive


def _train_sentencepiece(path: Path) -> list[str]:
    """A word-level sentencepiece model of the training lines; returns its pieces in id order."""
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING_LINES),
        model_writer=model,
        model_type="word",
        vocab_size=64,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    path.write_bytes(model.getvalue())
    processor = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(index) for index in range(processor.get_piece_size())]


class _TinyTransformer(Converter):
    """A one-layer Transformer with random weights and a shared vocabulary."""

    def __init__(self, vocabulary: list[str], favoured: int) -> None:
        self._vocabulary = vocabulary
        self._favoured = favoured

    def _load(self) -> TransformerSpec:
        spec = TransformerSpec.from_config(num_layers=1, num_heads=2)
        random = np.random.default_rng(7)

        def fill(layer: model_spec.LayerSpec, scope: str, value: object) -> None:
            if value is None:
                shape = self._shape(scope)
                setattr(layer, scope.rsplit("/", 1)[-1], random.normal(0, 0.1, shape).astype(np.float32))

        model_spec.visit_spec(spec, fill)
        bias = np.zeros(len(self._vocabulary), dtype=np.float32)
        bias[self._favoured] = SIGNATURE_BIAS
        spec.decoder.projection.bias = bias
        spec.register_source_vocabulary(self._vocabulary)
        spec.register_target_vocabulary(self._vocabulary)
        return spec

    def _shape(self, scope: str) -> tuple[int, ...]:
        """The shape of the weight at ``scope`` (e.g. ``decoder/layer_0/attention/linear_1/weight``)."""
        *_, layer, linear, name = scope.split("/")
        width, vocabulary = MODEL_WIDTH, len(self._vocabulary)
        if name in ("gamma", "beta"):
            return (width,)
        if "embeddings" in scope or linear == "projection":
            return (vocabulary, width)
        if layer == "ffn":
            return (FEED_FORWARD_WIDTH, width) if linear == "linear_0" else (width, FEED_FORWARD_WIDTH)
        fused = {"self_attention": {"linear_0": 3}, "attention": {"linear_1": 2}}
        return (fused.get(layer, {}).get(linear, 1) * width, width)


@pytest.fixture(scope="session")
def package_files(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """A package file for every pair of SIGNATURE_WORDS."""
    directory = tmp_path_factory.mktemp("argosmodels")
    return {pair: build_package(directory, *pair) for pair in SIGNATURE_WORDS}


@pytest.fixture
def install(tmp_path: Path, package_files: dict[tuple[str, str], Path]) -> Callable[..., Path]:
    """Installs the package files of the given pairs into this test's translation home and returns the home."""

    def installed(*pairs: tuple[str, str]) -> Path:
        home = tmp_path / "translation"
        for pair in pairs:
            install_package_file(package_files[pair], home)
        return home

    return installed


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    opened = EmbeddedStore(tmp_path / "state.sqlite3")
    yield opened
    await opened.close()
