"""Accounts storage: the unit tree, users, sessions, API tokens, sign-in attempts, record ownership, audit log.

Contract (``AccountStore``): it shares the draft store's engine (one database); every write commits before the
method returns. Secrets are never stored: passwords as argon2id hashes, session and API tokens as SHA-256.
``records`` says which unit owns a fact sheet (drafts belong to their fact sheet's unit) and whether a fact
sheet or draft is deleted (soft delete: the row stays, admins restore it). The audit log is append-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from ..auth.policy import Principal, Role
from ..auth.secrets import hash_password, hash_token, new_token, verify_password
from ..common.errors import NotFound
from .account_tables import ApiTokenRow, AuditRow, LoginAttemptRow, RecordRow, SessionRow, UnitRow, UserRow
from .records import new_id

SESSION_DAYS = 7
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_PER_ACCOUNT = 5  # failed sign-ins for one user name from one address within the window
THROTTLE_PER_ADDRESS = 30  # failed sign-ins from one address (any name) within the window
THROTTLE_PER_NAME = 20  # failed sign-ins for one user name from all addresses together within the window


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


@dataclass
class Unit:
    id: str
    name: str
    unit_type: str
    parent_id: str | None


@dataclass
class User:
    id: str
    username: str
    display_name: str
    role: Role
    unit_id: str
    active: bool
    created_at: str


@dataclass
class ApiToken:
    id: str
    name: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


@dataclass
class Record:
    kind: str
    id: str
    unit_id: str | None
    created_by: str | None
    deleted_at: str | None


class AuditEntry(BaseModel):
    """One line of the audit log: who (``username``) did ``action`` to which object, and when."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: str
    username: str
    action: str
    kind: str
    object_id: str
    unit_id: str | None
    summary: str
    detail: dict

    @field_validator("detail", mode="before")
    @classmethod
    def _no_detail(cls, value: object) -> object:
        return value or {}


class Conflict(ValueError):
    """A write that contradicts stored state (a taken user name, a unit that would contain itself)."""


class AccountStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.Session = sessionmaker(engine, expire_on_commit=False)

    # ------------------------------------------------------------------ units
    def create_unit(self, name: str, unit_type: str = "other", parent_id: str | None = None) -> str:
        with self.Session.begin() as s:
            if parent_id is not None and s.get(UnitRow, parent_id) is None:
                raise NotFound("这个单位", parent_id)
            row = UnitRow(id=new_id(), name=name, unit_type=unit_type, parent_id=parent_id, created_at=_iso(_now()))
            s.add(row)
            return row.id

    def update_unit(self, unit_id: str, **fields) -> Unit:
        with self.Session.begin() as s:
            row = s.get(UnitRow, unit_id)
            if row is None:
                raise NotFound("这个单位", unit_id)
            if "parent_id" in fields and fields["parent_id"] is not None:
                parent = fields["parent_id"]
                if s.get(UnitRow, parent) is None:
                    raise NotFound("这个单位", parent)
                if parent in self._subtree(s, unit_id):
                    raise Conflict("上级单位不能是本单位或它的下级单位")
            for k, v in fields.items():
                setattr(row, k, v)
            return Unit(row.id, row.name, row.unit_type, row.parent_id)

    def unit(self, unit_id: str) -> Unit:
        with self.Session() as s:
            row = s.get(UnitRow, unit_id)
            if row is None:
                raise NotFound("这个单位", unit_id)
            return Unit(row.id, row.name, row.unit_type, row.parent_id)

    def units(self) -> list[Unit]:
        with self.Session() as s:
            rows = s.scalars(select(UnitRow).order_by(UnitRow.created_at, UnitRow.name)).all()
            return [Unit(r.id, r.name, r.unit_type, r.parent_id) for r in rows]

    def _subtree(self, s, unit_id: str) -> frozenset[str]:
        children: dict[str | None, list[str]] = {}
        for uid, parent in s.execute(select(UnitRow.id, UnitRow.parent_id)).all():
            children.setdefault(parent, []).append(uid)
        out, todo = set(), [unit_id]
        while todo:
            u = todo.pop()
            if u in out:
                continue
            out.add(u)
            todo.extend(children.get(u, []))
        return frozenset(out)

    def subtree(self, unit_id: str) -> frozenset[str]:
        """The unit and every unit below it."""
        with self.Session() as s:
            return self._subtree(s, unit_id)

    # ------------------------------------------------------------------ users
    def user_count(self) -> int:
        with self.Session() as s:
            return s.scalar(select(func.count()).select_from(UserRow)) or 0

    def create_user(
        self, username: str, password: str, role: Role, unit_id: str, display_name: str = "", active: bool = True
    ) -> str:
        hashed = hash_password(password)
        try:
            with self.Session.begin() as s:
                if s.get(UnitRow, unit_id) is None:
                    raise NotFound("这个单位", unit_id)
                row = UserRow(
                    id=new_id(),
                    username=username,
                    display_name=display_name or username,
                    password_hash=hashed,
                    role=str(Role(role)),
                    unit_id=unit_id,
                    active=active,
                    created_at=_iso(_now()),
                )
                s.add(row)
                return row.id
        except IntegrityError:
            raise Conflict(f"用户名 {username} 已被使用") from None

    def _user(self, row: UserRow) -> User:
        return User(row.id, row.username, row.display_name, Role(row.role), row.unit_id, row.active, row.created_at)

    def user(self, user_id: str) -> User:
        with self.Session() as s:
            row = s.get(UserRow, user_id)
            if row is None:
                raise NotFound("这个用户", user_id)
            return self._user(row)

    def users(self) -> list[User]:
        with self.Session() as s:
            return [self._user(r) for r in s.scalars(select(UserRow).order_by(UserRow.created_at)).all()]

    def update_user(self, user_id: str, **fields) -> User:
        """Change role, unit, display name or active; deactivating signs the user out everywhere."""
        with self.Session.begin() as s:
            row = s.get(UserRow, user_id)
            if row is None:
                raise NotFound("这个用户", user_id)
            if "unit_id" in fields and s.get(UnitRow, fields["unit_id"]) is None:
                raise NotFound("这个单位", fields["unit_id"])
            for k, v in fields.items():
                setattr(row, k, str(Role(v)) if k == "role" else v)
            if fields.get("active") is False:  # signed out everywhere, and tokens revoked for good
                s.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
                self._revoke_all(s, user_id)
            return self._user(row)

    def _revoke_all(self, s, user_id: str) -> None:
        now = _iso(_now())
        s.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def set_password(self, user_id: str, password: str, keep_session: str | None = None) -> None:
        """New password; every other session of the user ends (``keep_session``: the raw token to keep) and every
        API token of the user is revoked (whoever knew the old password may have made one)."""
        hashed = hash_password(password)
        with self.Session.begin() as s:
            row = s.get(UserRow, user_id)
            if row is None:
                raise NotFound("这个用户", user_id)
            row.password_hash = hashed
            q = delete(SessionRow).where(SessionRow.user_id == user_id)
            if keep_session:
                q = q.where(SessionRow.token_hash != hash_token(keep_session))
            s.execute(q)
            self._revoke_all(s, user_id)

    def check_password(self, user_id: str, password: str) -> bool:
        with self.Session() as s:
            row = s.get(UserRow, user_id)
            return row is not None and verify_password(password, row.password_hash)

    # ------------------------------------------------------------------ sign-in
    def throttled(self, username: str, address: str) -> bool:
        """True when too many sign-ins failed recently: for this name from this address, from this address (any
        name), or for this name from all addresses together (rotating addresses does not get round the cap)."""
        since = _iso(_now() - THROTTLE_WINDOW)
        name = username.lower()[:64]
        with self.Session() as s:
            base = select(func.count()).select_from(LoginAttemptRow).where(LoginAttemptRow.at >= since)
            per_account = s.scalar(base.where(LoginAttemptRow.address == address, LoginAttemptRow.username == name))
            per_address = s.scalar(base.where(LoginAttemptRow.address == address))
            per_name = s.scalar(base.where(LoginAttemptRow.username == name))
            return (
                (per_account or 0) >= THROTTLE_PER_ACCOUNT
                or (per_address or 0) >= THROTTLE_PER_ADDRESS
                or (per_name or 0) >= THROTTLE_PER_NAME
            )

    def authenticate(self, username: str, password: str, address: str) -> User | None:
        """The active user with this name and password, or None (the failure is counted for throttling)."""
        with self.Session() as s:
            row = s.scalars(select(UserRow).where(func.lower(UserRow.username) == username.lower())).first()
            ok = row is not None and row.active and verify_password(password, row.password_hash)
            if row is None:
                verify_password(password, _dummy_hash())  # same work whether the name exists or not
            user = self._user(row) if ok and row is not None else None
        with self.Session.begin() as s:
            if user is None:
                s.add(LoginAttemptRow(username=username.lower()[:64], address=address[:64], at=_iso(_now())))
            else:
                s.execute(
                    delete(LoginAttemptRow).where(
                        LoginAttemptRow.username == username.lower(), LoginAttemptRow.address == address
                    )
                )
        return user

    def start_session(self, user_id: str) -> str:
        token = new_token()
        now = _now()
        with self.Session.begin() as s:
            s.add(
                SessionRow(
                    token_hash=hash_token(token),
                    user_id=user_id,
                    created_at=_iso(now),
                    expires_at=_iso(now + timedelta(days=SESSION_DAYS)),
                )
            )
            s.execute(delete(SessionRow).where(SessionRow.expires_at < _iso(now)))
        return token

    def end_session(self, token: str) -> None:
        with self.Session.begin() as s:
            s.execute(delete(SessionRow).where(SessionRow.token_hash == hash_token(token)))

    def session_user(self, token: str) -> User | None:
        with self.Session() as s:
            row = s.get(SessionRow, hash_token(token))
            if row is None or row.expires_at < _iso(_now()):
                return None
            user = s.get(UserRow, row.user_id)
            return self._user(user) if user is not None and user.active else None

    # ------------------------------------------------------------------ API tokens
    def create_token(self, user_id: str, name: str) -> tuple[str, str]:
        """(token id, the raw token) — the raw token is shown once and never stored."""
        raw = new_token("zjt_")
        with self.Session.begin() as s:
            row = ApiTokenRow(
                id=new_id(), token_hash=hash_token(raw), user_id=user_id, name=name, created_at=_iso(_now())
            )
            s.add(row)
            return row.id, raw

    def tokens(self, user_id: str) -> list[ApiToken]:
        with self.Session() as s:
            rows = s.scalars(
                select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.created_at)
            ).all()
            return [ApiToken(r.id, r.name, r.created_at, r.last_used_at, r.revoked_at) for r in rows]

    def revoke_token(self, user_id: str, token_id: str) -> None:
        with self.Session.begin() as s:
            row = s.get(ApiTokenRow, token_id)
            if row is None or row.user_id != user_id:
                raise NotFound("这个令牌", token_id)
            row.revoked_at = row.revoked_at or _iso(_now())

    def token_user(self, raw: str) -> User | None:
        with self.Session.begin() as s:
            row = s.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(raw))).first()
            if row is None or row.revoked_at:
                return None
            row.last_used_at = _iso(_now())
            user = s.get(UserRow, row.user_id)
            return self._user(user) if user is not None and user.active else None

    def principal(self, user: User, via_token: bool = False) -> Principal:
        with self.Session() as s:
            unit = s.get(UnitRow, user.unit_id)
            subtree = self._subtree(s, user.unit_id)
        return Principal(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            unit_id=user.unit_id,
            unit_name=unit.name if unit else "",
            subtree=subtree,
            via_token=via_token,
        )

    # ------------------------------------------------------------------ ownership and soft delete
    def claim(self, kind: str, object_id: str, unit_id: str | None, user_id: str | None) -> None:
        """Record which unit owns a new fact sheet or draft (idempotent)."""
        with self.Session.begin() as s:
            if s.get(RecordRow, (kind, object_id)) is None:
                s.add(RecordRow(kind=kind, id=object_id, unit_id=unit_id, created_by=user_id))

    def record(self, kind: str, object_id: str) -> Record | None:
        with self.Session() as s:
            r = s.get(RecordRow, (kind, object_id))
            return Record(r.kind, r.id, r.unit_id, r.created_by, r.deleted_at) if r else None

    def records(self, kind: str) -> dict[str, Record]:
        with self.Session() as s:
            rows = s.scalars(select(RecordRow).where(RecordRow.kind == kind)).all()
            return {r.id: Record(r.kind, r.id, r.unit_id, r.created_by, r.deleted_at) for r in rows}

    def set_deleted(self, kind: str, object_id: str, user_id: str | None, deleted: bool) -> None:
        with self.Session.begin() as s:
            row = s.get(RecordRow, (kind, object_id))
            if row is None:
                row = RecordRow(kind=kind, id=object_id, unit_id=None)
                s.add(row)
            row.deleted_at = _iso(_now()) if deleted else None
            row.deleted_by = user_id if deleted else None

    # ------------------------------------------------------------------ audit
    def audit(
        self,
        who: Principal | None,
        action: str,
        kind: str,
        object_id: str,
        summary: str = "",
        unit_id: str | None = None,
        detail: dict | None = None,
    ) -> None:
        with self.Session.begin() as s:
            s.add(
                AuditRow(
                    at=_iso(_now()),
                    user_id=who.user_id if who else None,
                    username=who.username if who else "(系统)",
                    action=action,
                    kind=kind,
                    object_id=str(object_id)[:120],
                    unit_id=unit_id,
                    detail=detail or {},
                    summary=summary,
                )
            )

    def actor(self, kind: str, object_id: str) -> str | None:
        """The user id of the first audit entry about ``kind``/``object_id`` (who made it), or None."""
        with self.Session() as s:
            q = select(AuditRow.user_id).where(AuditRow.kind == kind, AuditRow.object_id == str(object_id)[:120])
            return s.scalars(q.order_by(AuditRow.id).limit(1)).first()

    def audit_log(
        self, kind: str | None = None, object_id: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[AuditEntry]:
        with self.Session() as s:
            q = select(AuditRow).order_by(AuditRow.id.desc())
            if kind:
                q = q.where(AuditRow.kind == kind)
            if object_id:
                q = q.where(AuditRow.object_id == object_id)
            rows = s.scalars(q.limit(limit).offset(offset)).all()
            return [AuditEntry.model_validate(r) for r in rows]

    # ------------------------------------------------------------------ first run
    def ensure_root_unit(self, name: str) -> str:
        """The id of the top unit, created (with ``name``) when there is no unit yet."""
        with self.Session() as s:
            root = s.scalars(select(UnitRow).where(UnitRow.parent_id.is_(None)).order_by(UnitRow.created_at)).first()
            if root is not None:
                return root.id
        return self.create_unit(name, "county_federation")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(new_token())
