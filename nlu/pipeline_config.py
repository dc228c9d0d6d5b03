"""Reading the Rasa pipeline configuration (``config.yml``) for the values the embedded engine shares with it.

The FallbackClassifier's ``threshold`` and ``ambiguity_threshold`` live in one place, Rasa's own config,
so that a Rasa server and the embedded engine say "I don't know" under the same conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.training_data import CONFIG_FILE_NAME

# Rasa's defaults when the FallbackClassifier omits them.
_DEFAULT_THRESHOLD = 0.3
_DEFAULT_AMBIGUITY = 0.1


class PipelineConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class FallbackSettings:
    threshold: float = _DEFAULT_THRESHOLD
    ambiguity_threshold: float = _DEFAULT_AMBIGUITY


def config_path(data_dir: Path) -> Path:
    """``config.yml`` beside the training files, else in their parent (the Rasa project layout)."""
    beside = data_dir / CONFIG_FILE_NAME
    return beside if beside.is_file() else data_dir.parent / CONFIG_FILE_NAME


def read_fallback_settings(path: Path) -> FallbackSettings:
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PipelineConfigError(f"{path}: cannot read the pipeline configuration ({error})") from error
    except yaml.YAMLError as error:
        raise PipelineConfigError(f"{path}: invalid YAML ({error})") from error
    pipeline = config.get("pipeline") if isinstance(config, dict) else None
    if not isinstance(pipeline, list):
        raise PipelineConfigError(f"{path}: no `pipeline` list")
    for component in pipeline:
        if isinstance(component, dict) and component.get("name") == "FallbackClassifier":
            try:
                threshold = float(component.get("threshold", _DEFAULT_THRESHOLD))
                ambiguity = float(component.get("ambiguity_threshold", _DEFAULT_AMBIGUITY))
            except (TypeError, ValueError) as error:
                raise PipelineConfigError(f"{path}: FallbackClassifier thresholds must be numbers") from error
            if not (0.0 <= threshold <= 1.0 and 0.0 <= ambiguity <= 1.0):
                raise PipelineConfigError(f"{path}: FallbackClassifier thresholds must lie between 0 and 1")
            return FallbackSettings(threshold, ambiguity)
    return FallbackSettings()
