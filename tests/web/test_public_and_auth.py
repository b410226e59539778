"""Public pages, log-in/log-out, CSRF, redirects to the log-in page and role checks."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from matcher.auth import throttle
from matcher.models import LoginThrottle, Role, SizeClass, VerificationStatus
from tests.factories import PASSWORD, Factory
from tests.web.conftest import csrf_of, log_in
from web.auth import SESSION_COOKIE, csrf_token_for

# Starlette's TestClient connects from this "address".
CLIENT_ADDRESS = "testclient"


def test_home_shows_catalogue_and_spending_figures(web: TestClient, factory: Factory) -> None:
    factory.supplier(is_koperasi=True, kecamatan="Bumiaji", region="Punten")
    response = web.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="id">' in html
    assert 'href="#isi"' in html  # skip link
    assert "Katalog hari ini" in html
    assert "penyedia terverifikasi" in html
    assert "ke usaha mikro, kecil dan koperasi" in html
    assert "/api/v1/opendata/ocds?start=" in html


def test_catalogue_filters_without_login(web: TestClient, factory: Factory) -> None:
    verified = factory.supplier(name="Kripik Apel Uji", kecamatan="Bumiaji", region="Punten")
    pending = factory.supplier(name="Usaha Belum Diverifikasi", status=VerificationStatus.PENDING)
    small = factory.supplier(name="Konveksi Kecil Uji", size_class=SizeClass.KECIL)
    factory.offer(verified, name="Kripik apel 250 g", category="SNACK")
    factory.offer(pending, name="Snack tersembunyi", category="SNACK")
    factory.offer(small, name="Seragam batik uji", category="SERAGAM", unit="potong")

    everything = web.get("/katalog")
    assert everything.status_code == 200
    assert "Kripik apel 250 g" in everything.text
    assert "Snack tersembunyi" not in everything.text

    snacks = web.get("/katalog", params={"kategori": "SNACK"})
    assert "Kripik apel 250 g" in snacks.text
    assert "Seragam batik uji" not in snacks.text

    by_place = web.get("/katalog", params={"kecamatan": "Batu"})
    assert "Kripik apel 250 g" not in by_place.text
    assert "Seragam batik uji" in by_place.text

    by_size = web.get("/katalog", params={"ukuran": "kecil"})
    assert "Seragam batik uji" in by_size.text
    assert "Kripik apel 250 g" not in by_size.text


def test_log_in_sets_a_protected_cookie_and_lands_per_role(
    web: TestClient, factory: Factory
) -> None:
    user = factory.user(Role.OFFICER)
    form = web.get("/masuk")
    token = csrf_of(form.text)
    wrong = web.post(
        "/masuk", data={"csrf_token": token, "email": user.email, "password": "salah-sekali-1"}
    )
    assert wrong.status_code == 401
    assert "Email atau kata sandi salah" in wrong.text
    response = web.post(
        "/masuk",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD, "next": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dinas"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    page = web.get("/dinas/kebutuhan")
    assert page.status_code == 200
    assert user.email in page.text

    logout = web.post("/keluar", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert logout.status_code == 303
    assert SESSION_COOKIE not in web.cookies or not web.cookies.get(SESSION_COOKIE)


def test_log_in_form_counts_failures_against_the_client_address(
    web: TestClient, factory: Factory, db: Session
) -> None:
    user = factory.user(Role.OFFICER)
    token = csrf_of(web.get("/masuk").text)
    wrong = {"csrf_token": token, "email": user.email, "password": "salah-sekali-1"}
    assert web.post("/masuk", data=wrong).status_code == 401
    row = db.get(LoginThrottle, throttle.address_key(CLIENT_ADDRESS))
    assert row is not None and row.failures == 1
    # Failures from the same address against other accounts (here or on the API) lock the
    # address: even the right password is refused on the form, with Retry-After.
    for n in range(throttle.ADDRESS_LIMIT.failures - 1):
        throttle.record_failure(db, f"tebakan{n}@contoh.go.id", CLIENT_ADDRESS)
    locked = web.post(
        "/masuk",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert locked.status_code == 429
    assert locked.headers["content-type"].startswith("text/html")
    assert "Terlalu banyak percobaan masuk" in locked.text
    assert 14 * 60 < int(locked.headers["retry-after"]) <= 15 * 60 + 1
    assert not any(c.startswith(SESSION_COOKIE) for c in locked.headers.get_list("set-cookie"))
    # The account itself is not locked: one failure only.
    account = db.get(LoginThrottle, throttle.account_key(user.email))
    assert account is not None and account.failures == 1


def test_log_out_revokes_the_session_token_on_the_server(web: TestClient, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    token = csrf_of(web.get("/masuk").text)
    web.post(
        "/masuk",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        follow_redirects=False,
    )
    copied = web.cookies.get(SESSION_COOKIE)
    assert copied
    page = web.get("/dinas/kebutuhan")
    assert page.status_code == 200
    logout = web.post("/keluar", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert logout.status_code == 303
    # A copy of the cookie taken before the log-out opens nothing any more.
    web.cookies.set(SESSION_COOKIE, copied)
    again = web.get("/dinas/kebutuhan", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/masuk?next=")
    web.cookies.clear()
    api = web.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {copied}"})
    assert api.status_code == 401
    # Logging in again works.
    token = csrf_of(web.get("/masuk").text)
    web.post(
        "/masuk",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert web.get("/dinas/kebutuhan").status_code == 200


def _api_session(web: TestClient, email: str) -> dict[str, str]:
    response = web.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _browser_log_in(web: TestClient, email: str) -> str:
    token = csrf_of(web.get("/masuk").text)
    web.post(
        "/masuk",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        follow_redirects=False,
    )
    return csrf_of(web.get("/dinas/kebutuhan").text)


def test_log_out_leaves_the_other_sessions(web: TestClient, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    elsewhere = _api_session(web, user.email)
    csrf = _browser_log_in(web, user.email)
    logout = web.post("/keluar", data={"csrf_token": csrf}, follow_redirects=False)
    assert logout.status_code == 303
    web.cookies.clear()
    assert web.get("/api/v1/auth/me", headers=elsewhere).status_code == 200


def test_log_out_everywhere_ends_every_session(web: TestClient, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    elsewhere = _api_session(web, user.email)
    csrf = _browser_log_in(web, user.email)
    copied = web.cookies.get(SESSION_COOKIE)
    logout = web.post("/keluar/semua", data={"csrf_token": csrf}, follow_redirects=False)
    assert logout.status_code == 303
    assert "semua perangkat" in web.get(logout.headers["location"]).text
    web.cookies.clear()
    assert web.get("/api/v1/auth/me", headers=elsewhere).status_code == 401
    assert (
        web.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {copied}"}).status_code == 401
    )


def test_log_out_with_a_dead_cookie_still_clears_it(web: TestClient) -> None:
    web.cookies.set(SESSION_COOKIE, "bukan-token")
    response = web.post(
        "/keluar", data={"csrf_token": csrf_token_for("bukan-token")}, follow_redirects=False
    )
    assert response.status_code == 303
    cleared = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
    )
    assert "Max-Age=0" in cleared or "expires=" in cleared.lower()


def test_log_in_follows_only_local_next(web: TestClient, factory: Factory) -> None:
    user = factory.user(Role.ADMIN)
    token = csrf_of(web.get("/masuk").text)
    response = web.post(
        "/masuk",
        data={
            "csrf_token": token,
            "email": user.email,
            "password": PASSWORD,
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/admin"


def test_post_without_valid_csrf_is_refused(web: TestClient, factory: Factory) -> None:
    user = factory.user(Role.OFFICER)
    web.get("/masuk")
    response = web.post("/masuk", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert response.headers["content-type"].startswith("text/html")

    log_in(web, user)
    # A token from another session does not pass either.
    other = TestClient(web.app)
    log_in(other, factory.user(Role.OFFICER))
    foreign = csrf_of(other.get("/dinas/kebutuhan/baru").text)
    refused = web.post("/keluar", data={"csrf_token": foreign})
    assert refused.status_code == 403


def test_logged_out_pages_redirect_to_log_in(web: TestClient) -> None:
    for path in ("/dinas/kebutuhan", "/penyedia", "/admin/verifikasi", "/perencana", "/pesanan"):
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/masuk?next=")
    web.cookies.set(SESSION_COOKIE, "bukan-token")
    expired = web.get("/pesanan", follow_redirects=False)
    assert expired.status_code == 303
    assert expired.headers["location"] == "/masuk?next=%2Fpesanan"


def test_wrong_role_gets_403_page(web: TestClient, factory: Factory) -> None:
    log_in(web, factory.user(Role.SUPPLIER))
    for path in ("/admin", "/admin/verifikasi", "/dinas/kebutuhan", "/perencana", "/admin/dasbor"):
        response = web.get(path)
        assert response.status_code == 403, path
        assert "Akses ditolak" in response.text
    log_in(web, factory.user(Role.OFFICER))
    assert web.get("/penyedia/penawaran").status_code == 403


def test_unknown_page_is_html_404_and_api_stays_problem_json(web: TestClient) -> None:
    page = web.get("/tidak-ada")
    assert page.status_code == 404
    assert "Halaman tidak ditemukan" in page.text
    api = web.get("/api/v1/tidak-ada")
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def test_classify_endpoint_with_cookie_or_bearer(web: TestClient, factory: Factory) -> None:
    assert web.get("/api/v1/classify", params={"text": "snek box"}).status_code == 401
    user, headers = factory.login(Role.OFFICER)
    by_bearer = web.get(
        "/api/v1/classify", params={"text": "snek box 150 pax utk bimtek"}, headers=headers
    )
    assert by_bearer.status_code == 200
    body = by_bearer.json()
    assert body["top"][0]["category"] == "SNACK"
    assert len(body["top"]) == 3
    assert body["quantity"]["value"] == 150
    log_in(web, user)
    by_cookie = web.get("/api/v1/classify", params={"text": "beras premium 200 kg"})
    assert by_cookie.status_code == 200
    assert by_cookie.json()["top"][0]["category"] == "BERAS"
    assert web.get("/api/v1/classify", params={"text": ""}).status_code == 422
