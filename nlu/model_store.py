"""Trained models on disk, named by a fingerprint of everything they were trained from.

The fingerprint hashes the training files, ``config.yml`` and :data:`~nlu.engine.ENGINE_VERSION`; a model
whose fingerprint matches the current files is loaded, otherwise one is trained and stored. Files are written
to a temporary name and renamed, so a process never reads half a model while another one writes it.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import pickle
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from nlu.engine import ENGINE_VERSION, NluEngine, train_engine
from nlu.pipeline_config import config_path, read_fallback_settings
from nlu.training_data import load_training_data, training_files

logger = logging.getLogger(__name__)

_PREFIX = "nlu-"
_SUFFIX = ".pkl"
_LOCK_NAME = ".training.lock"
_FINGERPRINT_LENGTH = 16
_UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError)


@dataclass(frozen=True, slots=True)
class StoredModel:
    engine: NluEngine
    path: Path
    trained: bool
    """Whether the model was trained just now rather than loaded."""
    seconds: float


def fingerprint(data_dir: Path) -> str:
    digest = hashlib.sha256(f"engine {ENGINE_VERSION}\n".encode())
    for path in [config_path(data_dir), *training_files(data_dir)]:
        digest.update(f"{path.name}\n".encode())
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:_FINGERPRINT_LENGTH]


def model_path(data_dir: Path, model_dir: Path) -> Path:
    return model_dir / f"{_PREFIX}{fingerprint(data_dir)}{_SUFFIX}"


def train_model(data_dir: Path) -> NluEngine:
    return train_engine(load_training_data(data_dir), read_fallback_settings(config_path(data_dir)))


def save_model(engine: NluEngine, path: Path) -> None:
    """Writes the model under a temporary name and renames it, so that no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(engine, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_model(path: Path) -> NluEngine:
    with path.open("rb") as file:
        engine = pickle.load(file)
    if not isinstance(engine, NluEngine):
        raise TypeError(f"{path} does not hold an NLU model")
    return engine


def ensure_model(data_dir: Path, model_dir: Path, *, retrain: bool = False) -> StoredModel:
    """The model matching the current training data: loaded if stored, else trained and stored.

    Processes starting together train once: the others wait for the lock and then load the stored model.
    """
    started = time.perf_counter()
    path = model_path(data_dir, model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    with (model_dir / _LOCK_NAME).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.is_file() and not retrain:
            try:
                engine = load_model(path)
            except _UNREADABLE as error:
                # Written by another version of the code that kept ENGINE_VERSION: train anew.
                logger.warning("cannot load %s (%s); training again", path, error)
            else:
                return StoredModel(engine, path, trained=False, seconds=time.perf_counter() - started)
        logger.info("training the NLU model from %s", data_dir)
        engine = train_model(data_dir)
        save_model(engine, path)
        _remove_stale(model_dir, keep=path)
    return StoredModel(engine, path, trained=True, seconds=time.perf_counter() - started)


def _remove_stale(model_dir: Path, keep: Path) -> None:
    for stale in model_dir.glob(f"{_PREFIX}*{_SUFFIX}"):
        if stale != keep:
            stale.unlink(missing_ok=True)
