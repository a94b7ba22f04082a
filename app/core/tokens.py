"""Unguessable tokens for private links and badges."""

import base64
import hashlib
import hmac
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


def new_nonce() -> str:
    return secrets.token_hex(16)


def derived_token(secret_key: str, purpose: str, nonce: str) -> str:
    """A 192-bit token computed from a stored random nonce and the app's secret key.

    Lets us send a private link again without storing the link itself: the database holds
    only the nonce and the token's hash, and neither opens the link without the key.
    """
    digest = hmac.new(secret_key.encode(), f"{purpose}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")
