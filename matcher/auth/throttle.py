"""Log-in throttling: failed log-ins are counted per account and per client address in the
database (every worker process sees the same counts). Five failures for one account within
15 minutes lock that account's log-in for 15 minutes; an address gets more room (an office
behind one NAT) before it is locked. A correct password during a lock is refused too, so a
lock cannot be probed. A successful log-in clears the account's count, not the address's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from matcher.errors import TooManyRequests
from matcher.models import LoginThrottle


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta
    lockout: timedelta


ACCOUNT_LIMIT = Limit(failures=5, window=timedelta(minutes=15), lockout=timedelta(minutes=15))
ADDRESS_LIMIT = Limit(failures=20, window=timedelta(minutes=15), lockout=timedelta(minutes=15))


def account_key(email: str) -> str:
    return f"email:{email.strip().lower()}"[:300]


def address_key(address: str) -> str:
    return f"ip:{address}"[:300]


def _keys(email: str, address: str | None) -> list[tuple[str, Limit]]:
    keys = [(account_key(email), ACCOUNT_LIMIT)]
    if address:
        keys.append((address_key(address), ADDRESS_LIMIT))
    return keys


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_not_locked(
    session: Session, email: str, address: str | None, *, now: datetime | None = None
) -> None:
    """Raise ``TooManyRequests`` (with the seconds left) while the account or the address is
    locked."""
    now = now or datetime.now(UTC)
    for key, _limit in _keys(email, address):
        row = session.get(LoginThrottle, key)
        if row is not None and row.locked_until is not None:
            until = _aware(row.locked_until)
            if until > now:
                seconds = int((until - now).total_seconds()) + 1
                raise TooManyRequests(
                    "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam "
                    f"{(seconds + 59) // 60} menit",
                    retry_after=seconds,
                )


def record_failure(
    session: Session, email: str, address: str | None, *, now: datetime | None = None
) -> None:
    """Count one failed log-in against the account and the address; flushes only."""
    now = now or datetime.now(UTC)
    for key, limit in _keys(email, address):
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, first_failure_at=now)
            session.add(row)
        elif now - _aware(row.first_failure_at) > limit.window or (
            row.locked_until is not None and _aware(row.locked_until) <= now
        ):
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= limit.failures:
            row.locked_until = now + limit.lockout
    session.flush()


def record_success(session: Session, email: str) -> None:
    row = session.get(LoginThrottle, account_key(email))
    if row is not None:
        session.delete(row)
        session.flush()
