"""Tables of the notes feature (kept apart from core.store.models so features do not collide)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.store.models import UTCDateTime, utcnow

# ---- LLM provider accounts (llm_* tables) ------------------------------------------------
# API keys are never stored here: the keyring holds them under `llm/account/<id>`; a key is
# known here only by its fingerprint (the first 12 hex digits of its SHA-256).


class LlmAccount(SQLModel, table=True):
    __tablename__ = "llm_account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.String, unique=True, nullable=False))
    kind: str  # "openai" (any OpenAI-compatible base URL) | "gemini" (the native API)
    base_url: str = ""
    secret_ref: str = ""  # keyring reference of the newline-separated keys
    key_count: int = 0
    rpm: int = 0  # requests per minute, 0 = no limit of our own
    tpm: int = 0  # tokens per minute, 0 = no limit of our own
    rules: str = ""  # JSON: {"rename": [[regex, replacement]…], "allow": [regex…], "block": [regex…]}
    models_fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LlmKeyState(SQLModel, table=True):
    """Why a key is not used for now (a daily quota spent, refused as invalid)."""

    __tablename__ = "llm_key_state"
    __table_args__ = (sa.UniqueConstraint("account_id", "fingerprint", name="uq_llm_key_state"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="llm_account.id", index=True)
    fingerprint: str
    exhausted_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    invalid: bool = False
    last_error: str = ""
    requests: int = 0


class LlmModel(SQLModel, table=True):
    __tablename__ = "llm_model"
    __table_args__ = (sa.UniqueConstraint("account_id", "upstream", name="uq_llm_model"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="llm_account.id", index=True)
    upstream: str  # the id the provider lists ("models/gemini-2.5-flash", "openai/gpt-4o-2024-08-06")
    name: str  # normalised and renamed by the rules
    alias: str = ""  # the user's own name for it, shown and exported instead of `name`
    kind: str = "chat"  # chat | embedding | audio | image | other
    enabled: bool = True  # the user's checkbox
    listed: bool = True  # still in the provider's latest list
    auto_disabled: bool = False  # too many errors in a window; a good health check clears it
    disabled_reason: str = ""
    info: str = ""  # JSON: context sizes, methods…
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LlmHealth(SQLModel, table=True):
    __tablename__ = "llm_health"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="llm_account.id", index=True)
    model: str  # upstream id
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ok: bool = False
    latency_ms: int = 0
    error: str = ""


# ---- end of the LLM provider tables; note batches and tasks below ------------------------
