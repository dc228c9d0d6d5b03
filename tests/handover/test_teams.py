"""Which team's queue a new ticket joins."""

from __future__ import annotations

import pytest

from bot.handover.tickets import Team, team_for


@pytest.mark.parametrize(
    ("intents", "team"),
    [
        (("greet", "sgb2_services", "human_handover"), Team.MIGRATION_SGB2),
        (("sgb2_services", "limea_programme"), Team.PROGRAMMES),
        (("greet", "human_handover"), Team.MIGRATION_ASYL),
    ],
)
def test_the_latest_topic_chooses_the_team(intents: tuple[str, ...], team: Team) -> None:
    assert team_for(intents) == team
