"""The web chat page in a real browser against a running `wegweiser serve`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Locator, Page, Request, Route, expect

ENDONYMS = ["Deutsch", "English", "العربية", "فارسی", "Українська", "Русский", "Türkçe"]
ARABIC_QUESTION = "أين مكتب الاستشارة في بيبرا؟"
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
CYRILLIC_SCRIPT = re.compile(r"[\u0400-\u04ff]")
MARKUP = "<script>alert(1)</script>"


def open_chat(page: Page) -> None:
    page.goto("/")
    expect(page.locator(".bubble--welcome")).to_be_visible()


def wait_for_answer(page: Page, answers_before: int) -> Locator:
    page.wait_for_function(
        "n => document.querySelectorAll('.bubble--bot').length > n && document.getElementById('typing').hidden",
        arg=answers_before,
    )
    return page.locator(".bubble--bot").nth(answers_before)


def ask(page: Page, text: str) -> Locator:
    answers_before = page.locator(".bubble--bot").count()
    page.locator("#input").fill(text)
    page.locator("#input").press("Enter")
    return wait_for_answer(page, answers_before)


def answer_with(page: Page, reply: dict[str, object]) -> None:
    """Lets the page receive a reply the real content would never contain."""

    def fulfil(route: Route) -> None:
        route.fulfill(json={"session": "s", "language": "en", "intent": "greet", "replies": [reply], "handover": False})

    page.route("**/api/chat", fulfil)


def test_page_loads_without_requests_to_other_hosts(page: Page, live_server: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_chat(page)
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/static/chat.js") for url in requested)
    assert [url for url in requested if not url.startswith(f"{live_server}/")] == []


def test_page_runs_without_console_errors_or_policy_violations(page: Page) -> None:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    open_chat(page)
    ask(page, "Hello")
    assert problems == []


def test_welcome_offers_the_seven_languages(page: Page) -> None:
    open_chat(page)
    buttons = page.locator(".turn").first.locator(".choice")
    expect(buttons).to_have_text(ENDONYMS)


def test_arabic_question_gets_a_right_to_left_arabic_answer(page: Page) -> None:
    open_chat(page)
    answer = ask(page, ARABIC_QUESTION)
    expect(answer).to_have_attribute("dir", "rtl")
    expect(answer).to_have_attribute("lang", "ar")
    assert ARABIC_SCRIPT.search(answer.inner_text())


def test_arabic_conversation_mirrors_the_page(page: Page) -> None:
    open_chat(page)
    ask(page, ARABIC_QUESTION)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def test_pressing_a_reply_button_sends_its_title_and_gets_an_answer(page: Page) -> None:
    open_chat(page)
    ask(page, ARABIC_QUESTION)
    button = page.locator(".turn").last.locator(".choice").first
    title = button.inner_text()
    answers_before = page.locator(".bubble--bot").count()
    button.click()
    expect(page.locator(".bubble--user .bubble__text").last).to_have_text(title)
    expect(wait_for_answer(page, answers_before)).to_be_visible()


def test_a_pressed_button_set_stays_visible_but_disabled(page: Page) -> None:
    open_chat(page)
    languages = page.locator(".turn").first.locator(".choice")
    languages.nth(1).click()
    wait_for_answer(page, 0)
    expect(languages).to_have_count(7)
    for index in range(7):
        expect(languages.nth(index)).to_be_disabled()
    expect(languages.nth(1)).to_have_class(re.compile(r"\bchoice--chosen\b"))


def test_switching_the_header_language_to_ukrainian_answers_in_ukrainian(page: Page) -> None:
    open_chat(page)
    ask(page, ARABIC_QUESTION)
    answers_before = page.locator(".bubble--bot").count()
    page.locator("#language").select_option("uk")
    answer = wait_for_answer(page, answers_before)
    expect(answer).to_have_attribute("lang", "uk")
    assert CYRILLIC_SCRIPT.search(answer.inner_text())
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_header_language_switch_translates_the_page_chrome(page: Page) -> None:
    open_chat(page)
    page.locator("#language").select_option("tr")
    expect(page.locator("#input")).to_have_attribute("placeholder", "Bir mesaj yazın…")
    expect(page.locator("#language")).to_have_accessible_name("Dil")


def test_typed_markup_is_shown_as_text_and_never_runs(page: Page) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    open_chat(page)
    ask(page, MARKUP)
    expect(page.locator(".bubble--user .bubble__text").last).to_have_text(MARKUP)
    expect(page.locator("#log script")).to_have_count(0)
    assert dialogs == []


def test_markup_in_server_text_is_shown_as_text(page: Page) -> None:
    answer_with(page, {"text": '<img src=x onerror="alert(2)"> hello', "buttons": []})
    open_chat(page)
    answer = ask(page, "Hi")
    expect(answer.locator(".bubble__text")).to_have_text('<img src=x onerror="alert(2)"> hello')
    expect(answer.locator("img")).to_have_count(0)


def test_only_http_and_https_links_become_anchors(page: Page) -> None:
    answer_with(
        page,
        {
            "text": "Links",
            "links": [
                {"title": "County", "url": "https://example.org/"},
                {"title": "Trap", "url": "javascript:alert(3)"},
            ],
        },
    )
    open_chat(page)
    links = ask(page, "Hi").locator(".bubble__links a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://example.org/")
    expect(links).to_have_attribute("rel", "noopener noreferrer")


def test_phone_numbers_become_left_to_right_tel_links(page: Page) -> None:
    answer_with(page, {"text": "Notruf 110, Telefonseelsorge 0800 111 0 111, seit 2014.", "buttons": []})
    open_chat(page)
    phones = ask(page, "Hi").locator("a[href^='tel:']")
    expect(phones).to_have_count(2)
    expect(phones.nth(0)).to_have_attribute("href", "tel:110")
    expect(phones.nth(1)).to_have_attribute("href", "tel:08001110111")
    expect(phones.nth(1)).to_have_attribute("dir", "ltr")


def test_keyboard_only_tab_to_input_type_and_enter_sends(page: Page) -> None:
    open_chat(page)
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "input":
            break
    expect(page.locator("#input")).to_be_focused()
    page.keyboard.type("Hello")
    page.keyboard.press("Enter")
    expect(page.locator(".bubble--user .bubble__text").last).to_have_text("Hello")
    expect(wait_for_answer(page, 0)).to_be_visible()


def test_touch_targets_are_at_least_44_pixels(page: Page) -> None:
    open_chat(page)
    ask(page, ARABIC_QUESTION)
    too_small = page.evaluate("""() => [
        ...document.querySelectorAll('button, select, textarea, .bubble__links a')]
        .filter(element => element.offsetParent !== null)
        .map(element => [element.textContent.trim(), element.getBoundingClientRect()])
        .filter(([, box]) => box.width < 44 || box.height < 44)
        .map(([name]) => name)""")
    assert too_small == []


def test_keyboard_focus_is_visible(page: Page) -> None:
    open_chat(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2


def test_shift_enter_adds_a_line_instead_of_sending(page: Page) -> None:
    open_chat(page)
    page.locator("#input").type("one")
    page.locator("#input").press("Shift+Enter")
    page.locator("#input").type("two")
    expect(page.locator("#input")).to_have_value("one\ntwo")
    expect(page.locator(".bubble--user")).to_have_count(0)


def test_blank_input_is_not_sent(page: Page) -> None:
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if "/api/chat" in request.url else None)
    open_chat(page)
    page.locator("#input").fill("   \n ")
    page.locator("#input").press("Enter")
    page.locator("#send").click()
    expect(page.locator(".bubble--user")).to_have_count(0)
    assert sent == []


def test_second_submit_while_waiting_is_held_back(page: Page) -> None:
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if "/api/chat" in request.url else None)
    open_chat(page)
    page.evaluate("""() => {
        const input = document.getElementById('input');
        const form = document.getElementById('composer');
        input.value = 'first'; form.requestSubmit();
        input.value = 'second'; form.requestSubmit();
    }""")
    wait_for_answer(page, 0)
    assert len(sent) == 1
    expect(page.locator(".bubble--user")).to_have_count(1)
    expect(page.locator("#input")).to_have_value("second")


def test_character_counter_appears_near_the_limit(page: Page) -> None:
    open_chat(page)
    counter = page.locator("#counter")
    page.locator("#input").fill("a" * 100)
    expect(counter).to_be_hidden()
    page.locator("#input").fill("a" * 3990)
    expect(counter).to_have_text("10 characters left")
    expect(page.locator("#input")).to_have_attribute("maxlength", "4000")


def test_connection_failure_offers_a_retry_that_resends(page: Page) -> None:
    page.route("**/api/chat", lambda route: route.abort())
    open_chat(page)
    page.locator("#input").fill("Hello")
    page.locator("#input").press("Enter")
    expect(page.locator("#error")).to_contain_text("Connection problem, please try again")
    page.unroute("**/api/chat")
    page.locator("#retry").click()
    expect(wait_for_answer(page, 0)).to_be_visible()
    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator(".bubble--user")).to_have_count(1)


def test_reload_keeps_session_and_restores_the_conversation(page: Page) -> None:
    open_chat(page)
    ask(page, ARABIC_QUESTION)
    session = page.evaluate("localStorage.getItem('wegweiser.session')")
    turns = page.locator(".turn").count()
    page.reload()
    expect(page.locator(".turn")).to_have_count(turns)
    expect(page.locator(".bubble--user .bubble__text").last).to_have_text(ARABIC_QUESTION)
    assert page.evaluate("localStorage.getItem('wegweiser.session')") == session


@pytest.mark.parametrize("question", ["Hello", ARABIC_QUESTION], ids=["ltr", "rtl"])
def test_fits_a_360_pixel_phone_screen(page: Page, question: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    open_chat(page)
    ask(page, question)
    direction = page.evaluate("document.dir")
    shot = tmp_path_factory.mktemp("webchat-screenshots") / f"webchat-360x740-{direction}.png"
    page.screenshot(path=shot)
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
