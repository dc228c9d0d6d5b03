"""Actions that answer a topic from the content store.

Each topic has its own action, as in a Rasa domain; most only name their
intent and which contact details a person asking about it needs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import catalogue_for, counsellor_button, topic_button
from actions.facts import Block, fact_block
from bot.payload import make_payload
from content.models import Catalogue

TOWN_OTHER = "other"


class AnswerAction(Action, ABC):
    """Utters the answer of ``intent`` with the facts it references."""

    @property
    @abstractmethod
    def intent(self) -> str:
        """The intent whose answer this action gives."""

    needed: ClassVar[tuple[str, ...]] = ("phone", "email")

    def name(self) -> str:
        return f"action_{self.intent}"

    def facts(self, topics: Catalogue, tracker: Tracker) -> list[str]:
        return topics.answers[self.intent].facts

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        self.utter(dispatcher, topics, topics.answers[self.intent].text, self.facts(topics, tracker))
        return []

    def utter(self, dispatcher: CollectingDispatcher, topics: Catalogue, text: str, facts: list[str]) -> None:
        blocks = [fact_block(reference, topics, self.needed) for reference in facts]
        paragraphs = [text, *(block.text for block in blocks)]
        buttons = [topic_button(topics, intent) for intent in topics.answers[self.intent].buttons]
        if any(block.missing for block in blocks):
            paragraphs.append(topics.messages.details_missing)
            buttons.insert(0, counsellor_button(topics))
        dispatcher.utter_message(text="\n\n".join(paragraphs), buttons=buttons, json_message={"links": _links(blocks)})


def _links(blocks: list[Block]) -> list[dict[str, str]]:
    return [{"title": block.title, "url": block.url} for block in blocks if block.url]


class ActionOfficeLocations(AnswerAction):
    """Offices by town: asks for the town first when none is known."""

    intent = "office_locations"
    needed = ("address",)

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        town = next(tracker.get_latest_entity_values("town"), None) or tracker.get_slot("town")
        if not town:
            self.ask_town(dispatcher, topics)
            return [SlotSet("awaiting", "town")]
        answer = topics.answers[self.intent]
        offices = [f"office:{oid}" for oid, office in topics.offices.items() if office.town == town]
        if offices:
            self.utter(dispatcher, topics, answer.text, offices)
        elif town == TOWN_OTHER:
            self.utter(dispatcher, topics, answer.text, answer.facts)
        else:
            self.utter(dispatcher, topics, topics.messages.town_without_office.format(town=town), answer.facts)
        return [SlotSet("awaiting", None), SlotSet("town", None if town == TOWN_OTHER else town)]

    def ask_town(self, dispatcher: CollectingDispatcher, topics: Catalogue) -> None:
        towns = list(dict.fromkeys(office.town for office in topics.offices.values()))
        choices = [(town, town) for town in towns] + [(topics.messages.other_town, TOWN_OTHER)]
        buttons = [{"title": title, "payload": make_payload(self.intent, town=town)} for title, town in choices]
        dispatcher.utter_message(text=topics.messages.ask_town, buttons=buttons)


class ActionOpeningHours(AnswerAction):
    intent = "opening_hours"
    needed = ("opening_hours",)


class ActionAppointment(AnswerAction):
    intent = "appointment"
    needed = ("phone", "email")


class ActionAsylumServices(AnswerAction):
    intent = "asylum_services"


class ActionSgb2Services(AnswerAction):
    intent = "sgb2_services"


class ActionWirProgramme(AnswerAction):
    intent = "wir_programme"


class ActionOnfitProgramme(AnswerAction):
    intent = "onfit_programme"


class ActionLimeaProgramme(AnswerAction):
    intent = "limea_programme"


class ActionLanguageCourses(AnswerAction):
    intent = "language_courses"


class ActionJobTraining(AnswerAction):
    intent = "job_training"


class ActionSchoolTransition(AnswerAction):
    intent = "school_transition"


class ActionMigrantOrganisations(AnswerAction):
    intent = "migrant_organisations"


class ActionLeisureActivities(AnswerAction):
    intent = "leisure_activities"


class ActionOtherCounselling(AnswerAction):
    intent = "other_counselling"


class ActionPrivacy(AnswerAction):
    intent = "privacy"


class ActionGoodbye(AnswerAction):
    intent = "goodbye"


class ActionThankYou(AnswerAction):
    intent = "thank_you"
