"""How a test names a store, so that other connections and other processes can open the same one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.redis_store import RedisStore
from bot.store import EmbeddedStore, StateStore

StoreKind = Literal["embedded", "redis"]


@dataclass(frozen=True)
class StoreSpec:
    """Where a store keeps its state; every store opened from one spec sees the same state."""

    kind: StoreKind
    location: str
    prefix: str = ""

    def open(self) -> StateStore:
        if self.kind == "redis":
            return RedisStore(self.location, prefix=self.prefix)
        return EmbeddedStore(Path(self.location))

    def argv(self) -> list[str]:
        """The spec as command-line arguments, for a store opened in another process."""
        return [self.kind, self.location, self.prefix]

    @classmethod
    def from_argv(cls, argv: list[str]) -> StoreSpec:
        kind, location, prefix = argv
        return cls("redis" if kind == "redis" else "embedded", location, prefix)
