"""Tickets are tested on both stores, with the state contract tests' fixtures."""

from tests.state.conftest import store, stores

__all__ = ["store", "stores"]
