"""Logging in and out, the lockout after repeated failures, and password reset and change."""

from django.core import mail

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def log_in(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_logs_in(client, practitioner):
    response = log_in(client, "lin", PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused(client, practitioner):
    response = log_in(client, "lin", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_the_account(client, practitioner):
    for _ in range(4):
        log_in(client, "lin", "wrong-password")
    assert log_in(client, "lin", PASSWORD).status_code == 302


def test_it_locks_the_account_after_five_failures(client, practitioner):
    for _ in range(5):
        log_in(client, "lin", "wrong-password")
    response = log_in(client, "lin", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_how_long_in_minutes(client, practitioner):
    for _ in range(5):
        log_in(client, "lin", "wrong-password")
    assert "paused for 15 minutes" in log_in(client, "lin", PASSWORD).content.decode()


def test_the_lock_holds_only_for_the_address_that_failed(client, practitioner):
    for _ in range(5):
        log_in(client, "lin", "wrong-password")
    assert log_in(client, "lin", PASSWORD, ip="10.9.9.9").status_code == 302


def test_logout_is_a_post_that_ends_the_session(practitioner_client):
    assert practitioner_client.get("/accounts/logout/").status_code == 405
    assert practitioner_client.get("/").status_code == 200
    response = practitioner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert practitioner_client.get("/").url.startswith(LOGIN)


def request_reset(client, email):
    return client.post("/accounts/password_reset/", {"email": email}, follow=True)


def test_password_reset_emails_a_link_to_a_known_address(client, practitioner):
    response = request_reset(client, "lin@example.org")
    assert response.redirect_chain == [("/accounts/password_reset/done/", 302)]
    [email] = mail.outbox
    assert email.to == ["lin@example.org"]
    assert "/accounts/reset/" in email.body


def test_password_reset_looks_the_same_for_an_unknown_address(client, practitioner):
    known = request_reset(client, "lin@example.org")
    mail.outbox.clear()
    unknown = request_reset(client, "stranger@example.org")
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert mail.outbox == []


def test_the_password_change_page_needs_login(client, practitioner):
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    client.force_login(practitioner)
    assert client.get("/accounts/password_change/").status_code == 200
