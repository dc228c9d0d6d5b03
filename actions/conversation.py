"""Actions of the conversation itself: menu, language, fallback, emergency, handover, notices."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.buttons import (
    catalogue_for,
    counsellor_button,
    language_buttons,
    menu_buttons,
    topic_button,
)
from actions.content_access import catalogue
from bot.inbound import MAX_LENGTH

FALLBACK_SUGGESTIONS = 3
# Intents that are no useful suggestion after a question the bot did not understand.
NOT_SUGGESTED = {"nlu_fallback", "out_of_scope", "greet", "goodbye", "thank_you", "change_language", "emergency"}


class ActionMainMenu(Action):
    """Greeting, /help and "what can you do": the answer and the topics as buttons."""

    def name(self) -> str:
        return "action_main_menu"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        # The intent the dialogue decided on, not the top of the NLU ranking (a typed /help has none).
        intent = (tracker.latest_message.get("intent") or {}).get("name") or "greet"
        answer = topics.answers.get(intent, topics.answers["bot_capabilities"])
        dispatcher.utter_message(text=f"{answer.text}\n\n{topics.messages.menu_prompt}", buttons=menu_buttons(topics))
        return []


class ActionOutOfScope(Action):
    def name(self) -> str:
        return "action_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        text = f"{topics.answers['out_of_scope'].text}\n\n{topics.messages.menu_prompt}"
        dispatcher.utter_message(text=text, buttons=menu_buttons(topics))
        return []


class ActionChangeLanguage(Action):
    """Switches to a named core language, or offers the choice of languages."""

    def name(self) -> str:
        return "action_change_language"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        wanted = next(tracker.get_latest_entity_values("language"), None)
        if wanted in topics.core_languages:
            chosen = catalogue(wanted)
            text = f"{chosen.messages.language_changed}\n\n{chosen.messages.menu_prompt}"
            dispatcher.utter_message(text=text, buttons=menu_buttons(chosen))
            return [SlotSet("language", wanted)]
        text = topics.messages.language_not_supported if wanted else topics.answers["change_language"].text
        buttons = language_buttons(topics)
        if wanted:
            buttons.append(counsellor_button(topics))
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionFallback(Action):
    """Not understood: the closest topics first, a counsellor after repeated misses."""

    def name(self) -> str:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        misses = int(tracker.get_slot("fallback_count") or 0)
        if misses >= 2:
            dispatcher.utter_message(text=topics.messages.not_understood_again, buttons=[counsellor_button(topics)])
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        closest = [
            entry["name"]
            for entry in ranking
            if entry.get("name") in topics.answers and entry.get("name") not in NOT_SUGGESTED
        ][:FALLBACK_SUGGESTIONS]
        buttons = [topic_button(topics, intent) for intent in closest or topics.menu[:FALLBACK_SUGGESTIONS]]
        dispatcher.utter_message(text=topics.messages.not_understood, buttons=buttons)
        return []


class ActionEmergency(Action):
    """The national emergency numbers at once, then the offer of a counsellor."""

    def name(self) -> str:
        return "action_emergency"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        numbers = "\n".join(f"☎ {entry.number} – {entry.label}" for entry in topics.emergency_numbers.values())
        text = f"{topics.messages.emergency_intro}\n{numbers}\n\n{topics.messages.emergency_then}"
        buttons = [] if tracker.get_slot("handover") else [counsellor_button(topics)]
        dispatcher.utter_message(text=text, buttons=buttons)
        return []


class ActionHandover(Action):
    """Hands the conversation to a counsellor and tells the person what happens next."""

    def name(self) -> str:
        return "action_human_handover"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        dispatcher.utter_message(text=f"{topics.answers['human_handover'].text}\n\n{topics.messages.handover_started}")
        return [SlotSet("handover", True)]


class ActionNotice(Action):
    """One message of the conversation, named in the latest message's metadata (``notice``)."""

    def name(self) -> str:
        return "action_notice"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        topics = catalogue_for(tracker)
        metadata = tracker.latest_message.get("metadata") or {}
        text = getattr(topics.messages, metadata.get("notice", "not_understood"), topics.messages.not_understood)
        weekday = metadata.get("weekday")
        values = {
            "limit": str(MAX_LENGTH),
            "weekday": getattr(topics.messages.weekdays, weekday, weekday) if weekday else "",
            "time": metadata.get("time", ""),
        }
        for name, value in values.items():
            text = text.replace(f"{{{name}}}", value)
        dispatcher.utter_message(text=text)
        return []
