"""People who sign in (web) or call the API (bearer tokens), their tokens and web sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from models.base import created_at_field, timestamp_field
from models.enums import Role

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,63}$"


class UserBase(SQLModel):
    username: str = Field(sa_type=String(64), unique=True, index=True, regex=USERNAME_PATTERN)
    role: Role = Field(sa_type=String(16))
    provider_id: int | None = Field(default=None, foreign_key="provider.id", ondelete="RESTRICT")


class User(UserBase, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    password_hash: str | None = Field(default=None, sa_type=String(255))
    totp_secret: str | None = Field(default=None, sa_type=String(64))
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = timestamp_field()
    #: Set by an administrator's password reset: the one-time code must be replaced at sign-in.
    password_change_required: bool = False
    #: The last TOTP time step accepted, so a code works once (enrolment counts as a use).
    totp_last_step: int | None = None


class UserPublic(UserBase):
    id: int
    is_active: bool
    created_at: datetime


class ApiToken(SQLModel, table=True):
    """Only the SHA-256 of a token is stored; tokens are 256-bit random, so no salt is needed.

    A token an administrator creates for someone else waits without a value (``token_hash`` is
    empty) until its owner collects it; only then is the value drawn and shown, to the owner.
    """

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    )
    token_hash: str | None = Field(default=None, sa_type=String(64), unique=True, index=True)
    #: The token's first characters, so people can tell their tokens apart without the value.
    prefix: str | None = Field(default=None, sa_type=String(16))
    label: str = Field(default="", sa_type=String(100))
    created_at: datetime = created_at_field()
    collected_at: datetime | None = timestamp_field()
    expires_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()
    last_used_at: datetime | None = timestamp_field()


class ApiTokenPublic(SQLModel):
    id: int
    user_id: int
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class WebSession(SQLModel, table=True):
    """A signed-in browser; the cookie holds a random id whose SHA-256 is the primary key."""

    __tablename__ = "web_session"

    id: str = Field(sa_type=String(64), primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("app_user.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    revoked_at: datetime | None = timestamp_field()
    revoked_reason: str | None = Field(default=None, sa_type=String(32))
