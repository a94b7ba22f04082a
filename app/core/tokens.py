"""Unguessable tokens for private links and badges."""

import hashlib
import secrets

# Upper-case letters and digits without the look-alikes 0/O, 1/I/L: easy to read off a badge.
BADGE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BADGE_SECRET_LENGTH = 27  # 27 * log2(31) ≈ 133.8 bits


def new_token() -> str:
    """A URL-safe random token of 192 bits."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Tokens are stored only as this hash, so a database leak does not leak the links."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_badge_secret() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(BADGE_SECRET_LENGTH))
