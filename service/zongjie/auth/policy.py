"""Roles and the permission policy over the unit tree.

Roles (one per user, with one unit):

- ``clerk`` 填报员 — their own unit: fact sheets, drafts (create, edit, submit for review, delete), comments.
- ``editor`` 审核员 — their unit and every unit below it: read, comment, approve or return.
- ``admin`` 管理员 — everything: units, users, the knowledge base, the audit log, restoring deleted items.

The knowledge base is readable by every signed-in user and changed only by admins. ``allowed(principal, action,
unit_id)`` is the one decision; routes ask it with the unit that owns the object (``None`` for an object no unit
owns: only admins reach those).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    clerk = "clerk"
    editor = "editor"
    admin = "admin"


ROLE_LABELS = {Role.clerk: "填报员", Role.editor: "审核员", Role.admin: "管理员"}


class Action(StrEnum):
    read = "read"  # see a unit's fact sheets, drafts, jobs, comments
    write = "write"  # create or change them, start drafting, submit for review, delete
    comment = "comment"  # comment on a draft
    review = "review"  # approve or return a submitted draft
    manage = "manage"  # units, users, knowledge base changes, audit log, restore


@dataclass(frozen=True)
class Principal:
    """Who is asking: the signed-in user with the set of unit ids at or below their unit."""

    user_id: str
    username: str
    display_name: str
    role: Role
    unit_id: str
    unit_name: str = ""
    subtree: frozenset[str] = field(default_factory=frozenset)
    via_token: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def visible_units(self) -> frozenset[str] | None:
        """Units whose objects this user may read; None means every unit (admins)."""
        if self.role == Role.admin:
            return None
        if self.role == Role.editor:
            return self.subtree
        return frozenset({self.unit_id})


def allowed(who: Principal, action: Action, unit_id: str | None) -> bool:
    if who.role == Role.admin:
        return True
    if action == Action.manage or unit_id is None:
        return False
    own = unit_id == who.unit_id
    below = unit_id in who.subtree
    if who.role == Role.clerk:
        return own and action in (Action.read, Action.write, Action.comment)
    if who.role == Role.editor:
        return below and action in (Action.read, Action.comment, Action.review)
    return False
