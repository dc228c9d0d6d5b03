"""The engine's decisions: intent, fallback by threshold and ambiguity from config.yml, emergency override."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.sparse import csr_matrix

from nlu.emergency import DangerWords, EmergencyDetector
from nlu.engine import NluEngine
from nlu.model_store import train_model
from nlu.normalise import normalise
from nlu.result import FALLBACK_INTENT
from nlu.tokenize import tokenize
from nlu.vocabulary import Vocabulary
from tests.nlu.conftest import write_project


def engine_with(tmp_path: Path, *, threshold: float = 0.45, ambiguity: float = 0.1) -> NluEngine:
    return train_model(write_project(tmp_path / "project", threshold=threshold, ambiguity=ambiguity))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> NluEngine:
    return engine_with(tmp_path_factory.mktemp("engine"))


def test_a_clear_question_gets_its_intent(engine: NluEngine) -> None:
    result = engine.parse("Wo ist das Büro in Bebra?")
    assert result.intent.name == "office_locations"
    assert result.intent == result.intent_ranking[0]


def test_the_parse_result_has_rasas_shape_plus_the_language(engine: NluEngine) -> None:
    shown = engine.parse("where is the office in Bebra").to_dict()
    assert list(shown) == ["text", "intent", "intent_ranking", "entities", "language"]
    assert set(shown["intent"]) == {"name", "confidence"}
    assert shown["entities"] == [{"entity": "town", "value": "Bebra", "start": 23, "end": 28}]
    assert shown["language"]["code"] == "en"


def test_the_ranking_is_sorted_and_names_every_intent_once(engine: NluEngine) -> None:
    ranking = engine.parse("öffnungszeiten").intent_ranking
    confidences = [score.confidence for score in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sorted(score.name for score in ranking) == ["emergency", "greet", "office_locations", "opening_hours"]


def test_below_the_threshold_of_config_yml_the_intent_is_the_fallback(tmp_path: Path) -> None:
    strict = engine_with(tmp_path, threshold=0.999)
    result = strict.parse("Wo ist das Büro in Bebra?")
    assert result.intent.name == FALLBACK_INTENT
    assert result.intent.confidence == 0.999
    assert result.intent_ranking[1].name == "office_locations"


def test_two_intents_closer_than_the_ambiguity_threshold_give_the_fallback(tmp_path: Path) -> None:
    undecided = engine_with(tmp_path, threshold=0.0, ambiguity=0.999)
    result = undecided.parse("Wo ist das Büro in Bebra?")
    assert result.intent.name == FALLBACK_INTENT
    assert result.intent_ranking[1].name == "office_locations"


def test_a_message_without_any_known_feature_is_the_fallback(engine: NluEngine) -> None:
    assert engine.parse("").intent.name == FALLBACK_INTENT
    assert engine.parse("ꙮꙮꙮ").intent.name == FALLBACK_INTENT


def test_a_danger_word_makes_an_emergency_whatever_the_classifier_says(engine: NluEngine) -> None:
    result = engine.parse("Öffnungszeiten? Ich habe Selbstmordgedanken, Suizid")
    assert result.intent.name == "emergency"
    assert result.intent_ranking[0] == result.intent


def test_an_emergency_is_never_a_fallback(tmp_path: Path) -> None:
    strict = engine_with(tmp_path, threshold=0.999)
    assert strict.parse("mein Mann schlägt mich").intent.name == "emergency"
    assert strict.parse("Hilfe, es brennt").intent.name == "emergency"


@pytest.mark.parametrize("text", ["Es ist kein Notfall", "this is not an emergency", "acil durum değil"])
def test_a_negated_danger_word_is_no_lexicon_alarm(engine: NluEngine, text: str) -> None:
    doc = tokenize(normalise(text).text, "xx")
    assert not engine.emergency.in_lexicon(doc)


def test_a_danger_word_without_negation_is_a_lexicon_alarm(engine: NluEngine) -> None:
    assert engine.emergency.in_lexicon(tokenize(normalise("Notfall! Mein Kind ist bewusstlos").text, "de"))


@pytest.mark.parametrize("text", ["bla bla", "asdf qwer", "sdfsdf", "blub"])
def test_keyboard_mash_is_not_understood_and_no_emergency(engine: NluEngine, text: str) -> None:
    assert engine.parse(text).intent.name == FALLBACK_INTENT


@pytest.mark.parametrize("text", ["Nodfall!", "ich wurde vergewaltikt"])
def test_a_misspelt_danger_word_is_an_emergency(engine: NluEngine, text: str) -> None:
    assert engine.parse(text).intent.name == "emergency"


def test_a_known_word_one_letter_from_a_danger_word_is_taken_as_written() -> None:
    doc = tokenize(normalise("sığınmacılar nerede kalıyor").text, "tr")
    assert EmergencyDetector(DangerWords(("kanıyor",))).in_lexicon(doc)
    assert not EmergencyDetector(DangerWords(("kanıyor",)), vocabulary=Vocabulary(["kaliyor"])).in_lexicon(doc)


def test_a_misspelt_danger_word_in_a_message_read_with_confidence_is_no_alarm() -> None:
    detector = EmergencyDetector(DangerWords(("отравилась",)))
    doc = tokenize(normalise("я отправилась в офис в среду").text, "ru")
    features = csr_matrix((1, 1))
    assert detector.alarm(features, doc, 0.0, intent_uncertain=False, understood=True) is None
    assert detector.alarm(features, doc, 0.0, intent_uncertain=True, understood=True) == 1.0


def test_a_danger_word_as_written_alarms_whatever_the_intent_classifier_says() -> None:
    detector = EmergencyDetector(DangerWords(("отравилась",)))
    doc = tokenize(normalise("она отравилась").text, "ru")
    assert detector.alarm(csr_matrix((1, 1)), doc, 0.0, intent_uncertain=False, understood=True) == 1.0
