"""Accounts and access: roles, the permission policy over the unit tree, password and token hashing.

Core layer: nothing here touches the web or the database; ``storage.accounts`` keeps users, units, sessions and
tokens, and ``web.auth`` turns requests into a signed-in ``Principal``.
"""

from .policy import ROLE_LABELS, Action, Principal, Role, allowed
from .secrets import hash_password, hash_token, new_token, verify_password

__all__ = [
    "ROLE_LABELS",
    "Action",
    "Principal",
    "Role",
    "allowed",
    "hash_password",
    "hash_token",
    "new_token",
    "verify_password",
]
