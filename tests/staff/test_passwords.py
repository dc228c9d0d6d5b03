"""Password hashing: argon2id, and stale hashes are replaced at the next successful sign-in."""

from __future__ import annotations

from argon2 import PasswordHasher

from bot.staff.passwords import verify


def test_a_hash_with_older_parameters_comes_back_with_a_new_one() -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("ein-gutes-passwort")
    check = verify(old, "ein-gutes-passwort")
    assert check.matches
    assert check.new_hash is not None and check.new_hash != old
    assert verify(check.new_hash, "ein-gutes-passwort").new_hash is None


def test_a_wrong_password_does_not_match() -> None:
    current = PasswordHasher().hash("ein-gutes-passwort")
    assert not verify(current, "ein-falsches-passwort").matches


def test_an_unknown_account_never_matches() -> None:
    assert not verify(None, "ein-gutes-passwort").matches
