"""Right-to-left replies keep Latin names and numbers readable."""

from bot.render import LRI, PDI, isolate_ltr, render


def test_phone_number_in_arabic_text_is_isolated_as_one_run() -> None:
    assert isolate_ltr("اتصل بالرقم 116 117 الآن") == f"اتصل بالرقم {LRI}116 117{PDI} الآن"


def test_latin_name_in_persian_text_is_isolated() -> None:
    assert isolate_ltr("دفتر Bad Hersfeld کجاست") == f"دفتر {LRI}Bad Hersfeld{PDI} کجاست"


def test_text_without_latin_runs_is_unchanged() -> None:
    assert isolate_ltr("مرحبا بكم") == "مرحبا بكم"


def test_left_to_right_replies_are_not_touched() -> None:
    (reply,) = render([{"text": "Ruf 110 an", "buttons": []}], right_to_left=False)
    assert reply.text == "Ruf 110 an"


def test_button_titles_are_isolated_in_right_to_left_replies() -> None:
    (reply,) = render([{"text": "نص", "buttons": [{"title": "WIR", "payload": "/wir_programme"}]}], right_to_left=True)
    assert reply.buttons[0].title == f"{LRI}WIR{PDI}"
    assert reply.buttons[0].payload == "/wir_programme"


def test_responses_without_text_or_buttons_are_dropped() -> None:
    assert render([{"text": None, "buttons": []}], right_to_left=False) == ()


def test_brackets_around_a_latin_name_stay_outside_the_isolate() -> None:
    assert isolate_ltr("في باد هرسفيلد (Bad Hersfeld).") == f"في باد هرسفيلد ({LRI}Bad Hersfeld{PDI})."
