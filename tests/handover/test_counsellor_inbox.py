"""A counsellor takes over: a person on (fake) Telegram asks for a person, staff answer from the inbox.

Everything runs for real: ``wegweiser serve`` with the Telegram channel against
the fake Bot API, the staff area in headless Chromium, the staff group notice
at the same fake.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.staff.accounts import Role
from tests.channels.conftest import bot_api
from tests.channels.helpers import new_id, readable, telegram_shows
from tests.conftest import stop_server
from tests.dialogue.helpers import catalogue
from tests.fakes.bot_api import FakeBotApi
from tests.staff.conftest import (
    STAFF_ACCOUNTS,
    StaffClient,
    StaffServer,
    browser,
    new_page,
    sign_in_page,
    start_staff_server,
)

__all__ = ["bot_api", "browser"]

SECRET = "inbox-test-secret"
STAFF_GROUP = "-100424242"
SECOND_COUNSELLOR = ("Bruno Berater", "bruno-passwort-2024")
_TICKET_LINK = re.compile(r"/admin/inbox/([0-9a-f]{16})")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, data_dir, bot_api: FakeBotApi) -> Iterator[StaffServer]:
    served = start_staff_server(
        tmp_path_factory,
        data_dir,
        WEGWEISER_TELEGRAM_TOKEN=bot_api.token,
        WEGWEISER_TELEGRAM_WEBHOOK_SECRET=SECRET,
        WEGWEISER_TELEGRAM_API_URL=bot_api.url,
        WEGWEISER_STAFF_TELEGRAM_CHAT_ID=STAFF_GROUP,
        WEGWEISER_PUBLIC_URL="https://wegweiser.example.org",
    )
    served.create_account(SECOND_COUNSELLOR[0], Role.COUNSELLOR, SECOND_COUNSELLOR[1])
    yield served
    assert served.process is not None
    stop_server(served.process)


def write(server: StaffServer, bot_api: FakeBotApi, chat: int, text: str) -> None:
    response = httpx.post(
        f"{server.url}/telegram/webhook",
        json=bot_api.text_update(chat, text),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        timeout=30,
    )
    assert response.status_code == 200


def ask_for_a_person(server: StaffServer, bot_api: FakeBotApi, chat: int) -> str:
    """The person asks for a counsellor; returns the ticket id from the staff group's notice."""
    before = len(bot_api.sent_texts(int(STAFF_GROUP)))
    write(server, bot_api, chat, "/human")
    telegram_shows(bot_api, chat, catalogue("de").messages.handover_started)
    notices = bot_api.wait_for_messages(int(STAFF_GROUP), before + 1)
    found = _TICKET_LINK.search(notices[-1].params["text"])
    assert found is not None
    return found.group(1)


def counsellor(server: StaffServer, credentials: tuple[str, str] | None = None) -> StaffClient:
    name, password = credentials or (STAFF_ACCOUNTS[Role.COUNSELLOR].name, STAFF_ACCOUNTS[Role.COUNSELLOR].password)
    return StaffClient.signed_in(server.url, name, password)


def submit(client: StaffClient, path: str, data: dict[str, str] | None = None) -> httpx.Response:
    """Post a staff form and open the page it leads back to (httpx drops the cookie header on redirects)."""
    posted = client.post(path, data)
    assert posted.status_code == 303, posted.text
    return client.get(posted.headers["location"])


@pytest.fixture
def page(browser: Browser, server: StaffServer) -> Iterator[Page]:
    tab = new_page(browser, server.url)
    credentials = STAFF_ACCOUNTS[Role.COUNSELLOR]
    sign_in_page(tab, credentials.name, credentials.password)
    yield tab
    tab.context.close()


def test_a_counsellor_answers_a_telegram_user_from_the_inbox_and_hands_back(
    server: StaffServer, bot_api: FakeBotApi, page: Page
) -> None:
    chat = new_id()
    write(server, bot_api, chat, "Wo ist die Beratungsstelle in Bebra?")
    page.goto("/admin/inbox")
    ticket = ask_for_a_person(server, bot_api, chat)
    # The list updates by itself (server-sent events): the new ticket appears without reloading.
    page.locator(f'a[href="/admin/inbox/{ticket}"]').click()
    expect(page.locator("#transcript")).to_contain_text("Wo ist die Beratungsstelle in Bebra?")
    page.get_by_role("button", name="Anfrage übernehmen").click()
    expect(page.get_by_role("status")).to_have_text("Sie haben die Anfrage übernommen.")
    page.get_by_label("Ihre Antwort").fill("Guten Tag, die Beratungsstelle in Bebra hilft Ihnen gern.")
    page.get_by_role("button", name="Senden").click()
    telegram_shows(bot_api, chat, "Guten Tag, die Beratungsstelle in Bebra hilft Ihnen gern.")
    page.get_by_label("Ergebnis").select_option("answered")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Abschließen").click()
    expect(page.locator("#ticket-status")).to_contain_text("abgeschlossen")
    messages = catalogue("de").messages
    telegram_shows(bot_api, chat, messages.handover_ended, messages.bot_back)
    sent_before = len(bot_api.sent_texts(chat))
    write(server, bot_api, chat, "Wann sind die Öffnungszeiten?")
    answer = bot_api.wait_for_messages(chat, sent_before + 1)[sent_before:]
    assert readable(answer[0].params["text"]) != ""


def test_messages_written_during_the_handover_reach_the_inbox_in_order(
    server: StaffServer, bot_api: FakeBotApi, page: Page
) -> None:
    chat = new_id()
    ticket = ask_for_a_person(server, bot_api, chat)
    page.goto(f"/admin/inbox/{ticket}")
    sent_before = len(bot_api.sent_texts(chat))
    for number in range(1, 6):
        write(server, bot_api, chat, f"Nachricht {number}")
    transcript = page.locator("#transcript li")
    expect(transcript).to_have_count(5)
    texts = [re.sub(r"\s+", " ", text).strip() for text in page.locator("#transcript .original").all_inner_texts()]
    assert texts == [f"Nachricht {number}" for number in range(1, 6)]
    assert len(bot_api.sent_texts(chat)) == sent_before, "the bot stays silent while a counsellor has the chat"


def test_a_script_in_a_message_is_shown_as_text(server: StaffServer, bot_api: FakeBotApi, page: Page) -> None:
    chat = new_id()
    ticket = ask_for_a_person(server, bot_api, chat)
    dialogs: list[Any] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    write(server, bot_api, chat, "<script>alert('x')</script><img src=x onerror=alert(2)>")
    page.goto(f"/admin/inbox/{ticket}")
    expect(page.locator("#transcript")).to_contain_text("<script>alert('x')</script><img src=x onerror=alert(2)>")
    assert page.locator("#transcript script, #transcript img").count() == 0
    assert dialogs == []


def test_the_staff_group_notice_names_the_team_but_not_the_person(server: StaffServer, bot_api: FakeBotApi) -> None:
    chat = new_id()
    write(server, bot_api, chat, "Ich habe eine Frage zum Jobcenter und Bürgergeld")
    ask_for_a_person(server, bot_api, chat)
    notice = bot_api.sent_texts(int(STAFF_GROUP))[-1]
    assert "Migration SGB II" in notice and notice.count("https://wegweiser.example.org/admin/inbox/") == 1
    assert str(chat) not in notice and "Jobcenter" not in notice


def test_two_counsellors_claiming_one_ticket_one_wins_and_the_other_is_told(
    server: StaffServer, bot_api: FakeBotApi
) -> None:
    ticket = ask_for_a_person(server, bot_api, new_id())
    first, second = counsellor(server), counsellor(server, SECOND_COUNSELLOR)
    won = submit(first, f"/admin/inbox/{ticket}/claim")
    lost = submit(second, f"/admin/inbox/{ticket}/claim")
    assert "Sie haben die Anfrage übernommen." in won.text
    assert f"Diese Anfrage hat bereits {STAFF_ACCOUNTS[Role.COUNSELLOR].name} übernommen." in lost.text


def test_only_the_counsellor_holding_the_ticket_can_reply(server: StaffServer, bot_api: FakeBotApi) -> None:
    chat = new_id()
    ticket = ask_for_a_person(server, bot_api, chat)
    sent_before = len(bot_api.sent_texts(chat))
    refused = submit(counsellor(server), f"/admin/inbox/{ticket}/reply", {"text": "Hallo"})
    assert "Bitte übernehmen Sie die Anfrage, bevor Sie antworten." in refused.text
    assert len(bot_api.sent_texts(chat)) == sent_before


def test_going_back_to_the_bot_closes_the_ticket(server: StaffServer, bot_api: FakeBotApi) -> None:
    chat = new_id()
    ticket = ask_for_a_person(server, bot_api, chat)
    write(server, bot_api, chat, "/bot")
    telegram_shows(bot_api, chat, catalogue("de").messages.bot_back)
    shown = counsellor(server).get(f"/admin/inbox/{ticket}")
    assert "abgeschlossen (Zurück zum Bot)" in re.sub(r"\s+", " ", shown.text)


def test_deleting_ones_data_removes_the_ticket_from_the_inbox(server: StaffServer, bot_api: FakeBotApi) -> None:
    chat = new_id()
    ticket = ask_for_a_person(server, bot_api, chat)
    write(server, bot_api, chat, "/delete")
    telegram_shows(bot_api, chat, catalogue("de").messages.data_deleted)
    staff = counsellor(server)
    assert staff.get(f"/admin/inbox/{ticket}").status_code == 404
    assert ticket not in staff.get("/admin/inbox?closed=1").text


def test_an_editor_may_not_open_the_inbox(server: StaffServer) -> None:
    credentials = STAFF_ACCOUNTS[Role.EDITOR]
    editor = StaffClient.signed_in(server.url, credentials.name, credentials.password)
    assert editor.get("/admin/inbox").status_code == 403


def test_waiting_tickets_are_counted_per_team_in_the_metrics(server: StaffServer, bot_api: FakeBotApi) -> None:
    ask_for_a_person(server, bot_api, new_id())
    metrics = httpx.get(f"{server.url}/metrics", timeout=30).text
    waiting = re.search(r'^wegweiser_handover_queue\{team="migration_asyl"\} (\d+)', metrics, re.MULTILINE)
    assert waiting is not None and float(waiting.group(1)) >= 1
