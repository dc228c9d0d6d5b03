"""Fixtures of the NLU tests: tiny training projects written per test, and one model of the real data."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from nlu.engine import NluEngine
from nlu.model_store import ensure_model

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REAL_DATA = PROJECT_ROOT / "nlu" / "data"
ENTITY_FILES = ("entities.yml", "emergency.yml")

TINY_DE = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hallo
    - guten tag
    - hallo zusammen
    - guten morgen
    - servus
    - moin
- intent: office_locations
  examples: |
    - wo ist das büro in [Bebra](town)
    - adresse der beratungsstelle
    - wo finde ich die beratung in [Bad Hersfeld](town)
    - wie komme ich zum büro
    - wo ist die beratungsstelle
    - adresse büro [Rotenburg]{"entity": "town", "value": "Rotenburg an der Fulda"}
- intent: opening_hours
  examples: |
    - wann ist das büro offen
    - öffnungszeiten bitte
    - wann habt ihr geöffnet
    - ist montag offen
    - sprechzeiten der beratung
    - wann kann ich vorbeikommen
- intent: emergency
  examples: |
    - hilfe mein mann schlägt mich
    - es brennt
    - ich werde bedroht
    - notfall bitte schnell
    - jemand blutet stark
    - ich will nicht mehr leben
"""

TINY_EN = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - good morning
    - hi there
    - hey
    - good evening
    - hello everyone
- intent: office_locations
  examples: |
    - where is the office in [Bebra](town)
    - address of the counselling office
    - how do I get to the office
    - where is the counselling in [Bad Hersfeld](town)
    - office address please
    - location of the office
- intent: opening_hours
  examples: |
    - when is the office open
    - opening hours please
    - are you open on monday
    - consultation hours
    - when can I come by
    - what time do you open
- intent: emergency
  examples: |
    - my husband hits me
    - there is a fire
    - someone is bleeding a lot
    - I am being threatened
    - emergency please hurry
    - I do not want to live anymore
"""


def config_text(threshold: float = 0.45, ambiguity: float = 0.1) -> str:
    return textwrap.dedent(
        f"""\
        recipe: default.v1
        language: xx
        pipeline:
          - name: WhitespaceTokenizer
          - name: FallbackClassifier
            threshold: {threshold}
            ambiguity_threshold: {ambiguity}
        """
    )


def write_project(root: Path, *, threshold: float = 0.45, ambiguity: float = 0.1) -> Path:
    """A Rasa-layout project under ``root``: ``config.yml`` and ``data/`` with the tiny German and English
    examples plus the real entity and emergency tables. Returns the data directory."""
    data = root / "data"
    data.mkdir(parents=True)
    (root / "config.yml").write_text(config_text(threshold, ambiguity), encoding="utf-8")
    (data / "de.yml").write_text(TINY_DE, encoding="utf-8")
    (data / "en.yml").write_text(TINY_EN, encoding="utf-8")
    for name in ENTITY_FILES:
        shutil.copy(REAL_DATA / name, data / name)
    return data


@pytest.fixture
def tiny_data_dir(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture(scope="session")
def real_engine(data_dir: Path) -> NluEngine:
    """The engine trained on the shipped training data: the one ``wegweiser nlu train`` stored for the suite."""
    return ensure_model(REAL_DATA, data_dir / "models").engine
