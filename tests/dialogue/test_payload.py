"""Button payloads and slash commands in Rasa's form."""

from bot.payload import BACK_TO_BOT, DELETE_DATA, Command, make_payload, parse_payload


def test_plain_intent_payload() -> None:
    assert parse_payload("/opening_hours") == Command("opening_hours")


def test_payload_with_entities() -> None:
    assert parse_payload('/office_locations{"town": "Bebra"}') == Command("office_locations", {"town": "Bebra"})


def test_commands_stand_for_intents_and_operations() -> None:
    assert parse_payload("/help") == Command("bot_capabilities")
    assert parse_payload("/human") == Command("human_handover")
    assert parse_payload("/delete") == Command(DELETE_DATA)
    assert parse_payload("/bot") == Command(BACK_TO_BOT)


def test_malformed_payloads_are_not_commands() -> None:
    for payload in ["hello", "/", "/Intent", '/greet{"a": 1}', "/greet{broken", '/greet["x"]', "/" + "a" * 100]:
        assert parse_payload(payload) is None


def test_make_payload_round_trips_through_parse() -> None:
    payload = make_payload("change_language", language="ar")
    assert payload == '/change_language{"language": "ar"}'
    assert parse_payload(payload) == Command("change_language", {"language": "ar"})
