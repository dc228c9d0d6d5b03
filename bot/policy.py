"""The policy: which action answers which intent, read from ``policy.yml``."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

POLICY_FILE = Path(__file__).with_name("policy.yml")


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: dict[str, str]

    @property
    def intents(self) -> list[str]:
        return [intent for intent in self.rules if intent != "nlu_fallback"]

    def action_for(self, intent: str) -> str:
        return self.rules.get(intent, self.rules["nlu_fallback"])


def load_policy(path: Path = POLICY_FILE) -> Policy:
    return Policy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
