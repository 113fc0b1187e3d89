"""The notification list, marking read, and the header's unread badge."""

import pytest
from flask_babel import force_locale

from portal.core.notify import notify
from portal.core.text import N_
from portal.models import Notification
from portal.notifications import services
from tests.conftest import redirect_of

MESSAGE = N_("%(company)s has been activated. You can now propose contributions.")


def make_notes(db, user, n: int = 1, message: str = MESSAGE, **params):
    params = params or {"company": "PT Uji"}
    notes = notify([user] * n, message, "/", **params)
    db.session.commit()
    return notes


def test_message_is_translated_when_shown(app, db, make_user):
    user = make_user("partner")
    (note,) = make_notes(db, user)
    with app.test_request_context(), force_locale("en"):
        assert services.message_text(note) == (
            "PT Uji has been activated. You can now propose contributions."
        )


def test_a_message_whose_params_do_not_fit_is_shown_untranslated(app, db, make_user):
    user = make_user("partner")
    (note,) = make_notes(db, user, message="%(missing)s happened", other="x")
    with app.test_request_context():
        assert services.message_text(note) == "%(missing)s happened"


def test_unread_count_counts_only_own_unread(db, make_user):
    me, other = make_user("officer"), make_user("officer")
    notes = make_notes(db, me, 3)
    make_notes(db, other, 2)
    services.mark_read(notes[0])
    db.session.commit()
    assert services.unread_count(me) == 2
    assert services.mark_all_read(me) == 2
    db.session.commit()
    assert services.unread_count(me) == 0
    assert services.unread_count(other) == 2


def test_the_unread_count_query_uses_the_user_index(db):
    index_names = {index.name for index in Notification.__table__.indexes}
    assert "ix_notification_user_id" in index_names


def test_the_list_shows_own_notifications_newest_first(client, db, login_as, make_user):
    me = login_as("officer")
    make_notes(db, me, company="PT Pertama")
    make_notes(db, me, company="PT Kedua")
    make_notes(db, make_user("officer"), company="PT Orang Lain")
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("PT Kedua") < page.index("PT Pertama")
    assert "PT Orang Lain" not in page


def test_the_list_filters_unread_and_returns_only_results_to_htmx(client, db, login_as):
    me = login_as("officer")
    read, _ = make_notes(db, me, 2)
    read.params = {"company": "PT Sudah Dibaca"}
    services.mark_read(read)
    db.session.commit()
    response = client.get("/notifications?show=unread", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="notification-results"' in body
    assert "PT Sudah Dibaca" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" in client.get("/notifications?show=unread").get_data(as_text=True)


def test_the_list_paginates(client, db, login_as):
    me = login_as("camat")
    make_notes(db, me, 25)
    assert 'rel="next"' in client.get("/notifications").get_data(as_text=True)
    assert client.get("/notifications?page=2").status_code == 200
    assert client.get("/notifications?page=abc").status_code == 200


def test_marking_one_read_without_htmx_redirects_back(client, db, login_as):
    me = login_as("village")
    (note,) = make_notes(db, me)
    response = client.post(f"/notifications/{note.id}/read", data={"show": "unread"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications?show=unread"
    db.session.refresh(note)
    assert note.read_at is not None


def test_marking_one_read_with_htmx_returns_the_list_and_announces_the_change(client, db, login_as):
    me = login_as("village")
    (note,) = make_notes(db, me)
    response = client.post(f"/notifications/{note.id}/read", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "notifications-changed"
    assert 'id="notification-results"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)


def test_nobody_marks_someone_elses_notification(client, db, login_as, make_user):
    login_as("officer")
    (note,) = make_notes(db, make_user("officer"))
    assert client.post(f"/notifications/{note.id}/read").status_code == 404
    db.session.refresh(note)
    assert note.read_at is None


def test_mark_all_read(client, db, login_as):
    me = login_as("admin")
    make_notes(db, me, 3)
    response = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert response.headers["HX-Trigger"] == "notifications-changed"
    assert services.unread_count(me) == 0
    assert redirect_of(client.post("/notifications/read-all")) == "/notifications"


def test_the_badge_shows_the_unread_count_to_htmx(client, db, login_as):
    me = login_as("partner")
    make_notes(db, me, 4)
    response = client.get("/notifications/badge", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ">4<" in body
    assert "<html" not in body
    # The swapped-in copy polls on but does not re-fire on load (no request loop).
    assert 'hx-trigger="every 30s, notifications-changed from:body"' in body


def test_the_badge_opened_directly_goes_to_the_list(client, login_as):
    login_as("partner")
    response = client.get("/notifications/badge")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications"


def test_every_page_carries_the_badge_that_loads_itself(client, login_as):
    login_as("officer")
    page = client.get("/").get_data(as_text=True)
    assert 'hx-get="/notifications/badge"' in page
    assert 'hx-trigger="load, every 30s, notifications-changed from:body"' in page


def test_the_badge_is_not_on_the_forced_password_change_page(client, login_as):
    login_as("officer", must_change_password=True)
    page = client.get("/account/password").get_data(as_text=True)
    assert "/notifications/badge" not in page


URLS = [
    ("get", "/notifications"),
    ("get", "/notifications/badge"),
    ("post", "/notifications/read-all"),
    ("post", "/notifications/{note}/read"),
]
# What a logged-in user gets without HTMX: the list, or a redirect back to it (the badge
# is a fragment; a plain request for it is sent to the page).
LOGGED_IN = {
    "/notifications": (200, None),
    "/notifications/badge": (302, "/notifications"),
    "/notifications/read-all": (302, "/notifications"),
    "/notifications/{note}/read": (302, "/notifications"),
}


@pytest.mark.parametrize("role", [None, "partner", "village", "officer", "camat", "admin"])
@pytest.mark.parametrize(("method", "path"), URLS)
def test_every_logged_in_role_has_notifications_and_anonymous_users_log_in(
    client, db, make_user, auth, role, method, path
):
    owner = make_user(role or "officer")
    (note,) = make_notes(db, owner)
    if role:
        auth.login(owner)
    response = getattr(client, method)(path.format(note=note.id))
    if role is None:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert (response.status_code, response.headers.get("Location")) == LOGGED_IN[path]
