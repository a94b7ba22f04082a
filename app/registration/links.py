"""The participant's private manage link: a token derived from a stored nonce and the SECRET_KEY.

The token is never stored, only its hash (to look it up) and the nonce (to send the same
link again). Its own module because both the lifecycle and the emails need it.
"""

from flask import current_app

from app.core.tokens import derived_token, hash_token, new_nonce
from app.registration.models import Registration

MANAGE_LINK_PURPOSE = "manage-link"


def _token_for(nonce: str) -> str:
    return derived_token(current_app.config["SECRET_KEY"], MANAGE_LINK_PURPOSE, nonce)


def manage_token(registration: Registration) -> str:
    """The token of the registration's private link (the same every time it is asked for)."""
    return _token_for(registration.manage_token_nonce)


def new_manage_link() -> dict[str, str]:
    """A fresh nonce and the hash of the token it derives: the columns a new registration stores."""
    nonce = new_nonce()
    return {"manage_token_nonce": nonce, "manage_token_hash": hash_token(_token_for(nonce))}
