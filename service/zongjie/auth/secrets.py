"""Password hashing (argon2id through pwdlib) and opaque random tokens (sessions, API tokens).

Contract: ``hash_password`` returns a self-describing argon2id string; ``verify_password`` never raises on a
malformed hash (it answers False). Tokens are 256-bit random strings; only their SHA-256 is stored, which is
enough for secrets of that entropy and lets a lookup be one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_PASSWORD = 8


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, hashed: str) -> bool:
    try:
        return _hasher().verify(password, hashed)
    except Exception:  # a corrupt or foreign hash is a failed sign-in, not a crash
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Chinese), or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少 {MIN_PASSWORD} 位"
    if len(password) > 200:
        return "密码不能超过 200 位"
    if password.strip() != password or not password.strip():
        return "密码首尾不能是空格"
    return None


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
