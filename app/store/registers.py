"""Register identity in the store: one live till per register code.

Refs carry the register code (``M001P002-20261204-000017``, :mod:`app.domain.refs`), so two tills
running as the same register would make the same refs, and Ocote would answer the second with the
first one's document. Each till therefore *claims* its code in the store's ``registers`` table
when it starts (and whenever the store comes back), and renews the claim (``last_seen``) while it
runs. A claim is live while its heartbeat is younger than :data:`LIVE_MINUTES`; a till finding its
code held by another live till refuses to work as that register, naming the holder's host.

The claim is one atomic ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (the same till, or a stale
claim): two tills claiming together cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.store.db import StoreDatabase, StoreError

#: A claim whose heartbeat is older than this is stale: another till may take the code.
LIVE_MINUTES = 5


class RegisterTaken(StoreError):
    """Another live till holds the register code."""

    def __init__(self, code: str, hostname: str, till_id: str, last_seen: datetime | None) -> None:
        self.code = code
        self.hostname = hostname
        self.till_id = till_id
        self.last_seen = last_seen
        super().__init__(f"register {code} is in use by the till on {hostname or till_id}")


@dataclass(frozen=True)
class RegisterClaim:
    code: str
    till_id: str
    hostname: str
    claimed_at: datetime
    last_seen: datetime


def claim_register(
    db: StoreDatabase, code: str, till_id: str, hostname: str, *, version: str = "", live_minutes: int = LIVE_MINUTES
) -> RegisterClaim:
    """Claim (or renew the claim of) ``code`` for the till ``till_id``.

    Raises:
        RegisterTaken: another till claimed ``code`` and its heartbeat is live.
        StoreUnavailable: the store cannot be reached.
    """
    with db.connection() as conn:
        row = conn.execute(
            "INSERT INTO registers AS r (code, till_id, hostname) VALUES (%s, %s, %s) "
            "ON CONFLICT (code) DO UPDATE SET till_id = EXCLUDED.till_id, hostname = EXCLUDED.hostname, "
            "claimed_at = CASE WHEN r.till_id = EXCLUDED.till_id THEN r.claimed_at ELSE now() END, last_seen = now() "
            "WHERE r.till_id = EXCLUDED.till_id OR r.last_seen < now() - make_interval(mins => %s) "
            "RETURNING code, till_id::text, hostname, claimed_at, last_seen",
            (code, till_id, hostname, live_minutes),
        ).fetchone()
        if row is None:
            holder = conn.execute(
                "SELECT hostname, till_id::text, last_seen FROM registers WHERE code = %s", (code,)
            ).fetchone()
            conn.rollback()
            hostname_, holder_id, last_seen = holder if holder else ("", "", None)
            raise RegisterTaken(code, str(hostname_), str(holder_id), last_seen)
        conn.execute(
            "INSERT INTO tills (till_id, register, hostname, version) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (till_id) DO UPDATE SET register = EXCLUDED.register, hostname = EXCLUDED.hostname, "
            "version = EXCLUDED.version, last_seen = now()",
            (till_id, code, hostname, version),
        )
    return RegisterClaim(str(row[0]), str(row[1]), str(row[2]), row[3], row[4])


def release_register(db: StoreDatabase, code: str, till_id: str) -> bool:
    """Give ``code`` up (a till closing cleanly), so another till may take it at once."""
    with db.connection() as conn:
        cursor = conn.execute("DELETE FROM registers WHERE code = %s AND till_id = %s", (code, till_id))
        return cursor.rowcount > 0


def holder_of(db: StoreDatabase, code: str) -> RegisterClaim | None:
    """Who holds ``code`` (live or not), for ``caja doctor``."""
    with db.connection() as conn:
        row = conn.execute(
            "SELECT code, till_id::text, hostname, claimed_at, last_seen FROM registers WHERE code = %s", (code,)
        ).fetchone()
    return None if row is None else RegisterClaim(str(row[0]), str(row[1]), str(row[2]), row[3], row[4])
