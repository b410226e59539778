"""Page tests: the real app through TestClient, bound to the test transaction; a user is
"logged in" by giving the client the session cookie a log-in would set."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from matcher.auth.security import create_access_token
from matcher.models import User
from web.auth import SESSION_COOKIE

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def log_in(client: TestClient, user: User) -> None:
    token, _ = create_access_token(user.id)
    client.cookies.set(SESSION_COOKIE, token)


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'<p class="error" id="e-([\w]+)">([^<]+)</p>', html))


@pytest.fixture
def web(client: TestClient) -> TestClient:
    client.cookies.clear()
    return client
