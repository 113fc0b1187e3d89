"""Messages are text, never markup: whatever names a company, person, item or file is
escaped wherever it is shown (flash, form errors, notifications, pages), and no lazy
string with arguments can reach a template as markup, wherever it is written."""

from __future__ import annotations

import ast
import importlib
import io
import re
from pathlib import Path

import pytest
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape  # noqa: TID251 - the test inspects markup
from sqlalchemy import select

from portal.core import text
from portal.models import Company, Recipient
from tests import factories
from tests.factories import new_kk, new_nik
from tests.support.partners import FORM as REGISTRATION
from tests.support.registry import person

PORTAL = Path(__file__).resolve().parent.parent / "portal"
PAYLOAD = "PT Q<i hx-post=/admin/users/new hx-trigger=load></i>"
RAW = "<i hx-post"
ESCAPED = "&lt;i hx-post=/admin/users/new hx-trigger=load&gt;&lt;/i&gt;"


def assert_escaped(page: str) -> None:
    assert RAW not in page, "a user-supplied name reached the page as markup"
    assert ESCAPED in page, "the name is not shown at all"


# --- the mechanism -------------------------------------------------------------------


def test_a_lazy_message_escapes_its_values_and_keeps_its_own_text(app):
    message = text.lazy_gettext("%(name)s has been activated.", name=PAYLOAD)
    with app.test_request_context():
        assert str(message).startswith(PAYLOAD)  # plain text for mail, CSV, logs
        html = str(escape(message))
        assert RAW not in html and ESCAPED in html
        nested = text.lazy_gettext("%(what)s: %(value)s", what=text.lazy_gettext("Sex"), value=3)
        assert str(escape(nested)) == str(nested)


def test_numbers_keep_their_formats(app):
    with app.test_request_context():
        message = text.lazy_gettext("At most %(max)d characters.", max=12)
        assert "12" in str(escape(message)) and "12" in str(message)
        many = text.lazy_ngettext("%(num)s row", "%(num)s rows", 3)
        assert "3" in str(escape(many))


def test_a_flashed_message_stays_escaped_through_the_session_cookie(app):
    from flask.json.tag import TaggedJSONSerializer

    serializer = TaggedJSONSerializer()
    with app.test_request_context():
        stored = serializer.loads(serializer.dumps({"m": text.lazy_gettext("%(n)s", n=PAYLOAD)}))
        assert isinstance(stored["m"], Markup) and RAW not in stored["m"]


# --- the guard: every call site, forced with a hostile value -----------------------


def _modules():
    for path in sorted(PORTAL.rglob("*.py")):
        name = ".".join(path.relative_to(PORTAL.parent).with_suffix("").parts)
        yield path, name.removesuffix(".__init__")


def _resolve(module, node):
    """The object a call's callee names in its module, or None when it is local."""
    if isinstance(node, ast.Name):
        return getattr(module, node.id, None)
    if isinstance(node, ast.Attribute):
        owner = _resolve(module, node.value)
        try:  # a request proxy (``request.form.get``) has nothing to give outside a request
            return getattr(owner, node.attr, None) if owner is not None else None
        except RuntimeError:
            return None
    return None


def _is_translation(obj) -> bool:
    """Flask-Babel's or the portal's gettext family, or a lazy string class."""
    if obj is None or not callable(obj):
        return False
    if isinstance(obj, type):
        return issubclass(obj, LazyString)
    home = getattr(obj, "__module__", "") or ""
    named = "gettext" in getattr(obj, "__name__", "")
    return named and (home.startswith("flask_babel") or home == text.__name__)


def _forced_call(callee, call: ast.Call):
    """Call the translation with every value replaced by the payload (``**values`` too:
    the placeholders of the message say which)."""
    names = {k.arg for k in call.keywords if k.arg is not None}
    args = []
    for arg in call.args:
        try:
            args.append(ast.literal_eval(arg))
        except ValueError:
            args.append(1 if args else None)  # a message from a variable; a count
    for value in args:
        if isinstance(value, str):
            names |= set(re.findall(r"%\((\w+)\)", value))
    placeholders = " ".join(f"%({n})s" for n in sorted(names))
    args = [placeholders if a is None else a for a in args] or [placeholders]
    return callee(*args, **{n: PAYLOAD for n in names})


def translation_calls_with_arguments():
    found = []
    for path, name in _modules():
        tree = ast.parse(path.read_text(), str(path))
        module = importlib.import_module(name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.keywords:
                continue
            callee = _resolve(module, node.func)
            if _is_translation(callee):
                found.append((f"{path.relative_to(PORTAL.parent)}:{node.lineno}", callee, node))
    return found


def test_no_lazy_string_with_arguments_reaches_a_template_as_markup(app):
    """Each translation call with values in portal/, run with a hostile value: what a
    template or flash() would show must have that value escaped."""
    calls = translation_calls_with_arguments()
    assert len(calls) > 30, "the scan found too few call sites to be looking right"
    unsafe = set()
    for locale in ("id", "en"):
        with app.test_request_context(), _locale(locale):
            for where, callee, node in calls:
                shown = str(escape(_forced_call(callee, node)))
                if RAW in shown:
                    unsafe.add(where)
    assert sorted(unsafe) == [], (
        f"these messages put user data into pages as markup: {sorted(unsafe)}"
    )


def _locale(code):
    from flask_babel import force_locale

    return force_locale(code)


def test_the_guard_catches_flask_babels_own_lazy_strings(app):
    """The scan's check really fails for the lazy strings the portal used before."""
    from flask_babel import lazy_gettext  # noqa: TID251 - the old, unsafe one

    with app.test_request_context():
        assert RAW in str(escape(lazy_gettext("%(name)s", name=PAYLOAD)))
        node = ast.parse('_l("%(name)s is here.", name=company.name)').body[0].value
        assert RAW in str(escape(_forced_call(lazy_gettext, node)))


# --- through HTTP: each message that names something a user typed ------------------


def test_a_company_name_is_text_from_registration_to_activation(client, db, make_user, auth):
    admin = make_user("admin")
    response = client.post("/partners/register", data=dict(REGISTRATION, company_name=PAYLOAD))
    assert response.status_code == 302
    applicant = {"email": REGISTRATION["email"], "password": REGISTRATION["password"]}
    client.post("/login", data=applicant)  # registration answers neutrally, logs nobody in
    assert_escaped(client.get("/partners/waiting").get_data(as_text=True))
    auth.logout()
    auth.login(admin)
    assert_escaped(client.get("/notifications").get_data(as_text=True))
    assert_escaped(client.get("/admin/companies/pending").get_data(as_text=True))
    company = db.session.scalar(select(Company).where(Company.name == PAYLOAD))
    response = client.post(f"/admin/companies/{company.id}/activate", follow_redirects=True)
    assert response.status_code == 200
    assert_escaped(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("action", "status", "data"),
    [
        ("suspend", "active", {"suspend-reason": "Tidak lapor"}),
        ("lift-suspension", "suspended", {}),
        ("reject", "pending", {"reject-reason": "Alamat fiktif"}),
    ],
)
def test_company_life_cycle_flashes_escape_the_name(client, login_as, db, action, status, data):
    company = factories.CompanyFactory(name=PAYLOAD, status=status)
    db.session.commit()
    login_as("admin")
    url = f"/admin/companies/{company.id}/{action}"
    assert_escaped(client.post(url, data=data, follow_redirects=True).get_data(as_text=True))


def test_an_account_name_is_text_in_the_admin_flashes(client, login_as, db):
    login_as("admin")
    user = factories.user_for_role("officer", name=PAYLOAD)
    db.session.commit()
    response = client.post(f"/admin/users/{user.id}/deactivate", follow_redirects=True)
    assert_escaped(response.get_data(as_text=True))
    response = client.post(f"/admin/users/{user.id}/reactivate", follow_redirects=True)
    assert_escaped(response.get_data(as_text=True))


def test_a_proposed_persons_name_is_text_for_officer_and_village(client, auth, make_user, db):
    officer = make_user("officer")
    village = make_user("village", name=PAYLOAD)  # named in the officer's notification
    db.session.commit()
    auth.login(village)
    proposal = {"nik": new_nik(), "name": PAYLOAD, "sex": "P", "desa_id": village.desa_id}
    assert client.post("/registry/recipients/new", data=proposal).status_code == 302
    auth.logout()
    auth.login(officer)
    assert_escaped(client.get("/notifications").get_data(as_text=True))
    assert_escaped(client.get("/registry/proposals").get_data(as_text=True))
    recipient = db.session.scalar(select(Recipient).where(Recipient.name == PAYLOAD))
    url = f"/registry/recipients/{recipient.id}"
    assert_escaped(client.post(f"{url}/validate", follow_redirects=True).get_data(as_text=True))
    auth.logout()
    auth.login(village)
    assert_escaped(client.get("/notifications").get_data(as_text=True))


@pytest.mark.parametrize(
    ("action", "data"),
    [("reject", {"reason": "Data ganda"}), ("deactivate", {"reason": "moved"})],
)
def test_registry_flashes_escape_the_persons_name(client, login_as, db, action, data):
    resident = person(kk=new_kk(), name=PAYLOAD)
    db.session.commit()
    login_as("officer")
    url = f"/registry/recipients/{resident.id}/{action}"
    assert_escaped(client.post(url, data=data, follow_redirects=True).get_data(as_text=True))


def test_an_officer_adding_a_person_sees_the_name_as_text(client, login_as, db):
    officer = login_as("officer")
    desa = factories.desa_of(officer.kecamatan)
    data = {"nik": new_nik(), "name": PAYLOAD, "sex": "L", "desa_id": desa.id}
    response = client.post("/registry/recipients/new", data=data, follow_redirects=True)
    assert_escaped(response.get_data(as_text=True))


def test_an_item_name_is_text_in_the_split_refusal(client, login_as, db):
    login_as("admin")
    parent = factories.ContributionFactory(
        company=factories.CompanyFactory(), status="submitted", kecamatan=None
    )
    item = factories.ContributionItemFactory(contribution=parent, name=PAYLOAD)
    db.session.commit()
    a, b = factories.kecamatan("64.02.06"), factories.kecamatan("64.02.07")
    data = {"kecamatan": [a.id, b.id], f"q-{a.id}-{item.id}": "7", f"q-{b.id}-{item.id}": "2"}
    response = client.post(f"/contributions/{parent.id}/split", data=data)
    assert response.status_code == 200
    assert_escaped(response.get_data(as_text=True))


def test_an_upload_file_name_is_text_in_the_refusal(client, login_as, db):
    """File names lose < and > on upload; an entity in the name must still show as typed."""
    partner = login_as("partner")
    draft = factories.ContributionFactory(company=partner.company)
    db.session.commit()
    upload = (io.BytesIO(b"not a pdf at all"), "Q&lt;i&gt;.pdf")
    response = client.post(
        f"/contributions/{draft.id}/attachments",
        data={"file": upload, "kind": "other"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert "Q&amp;lt;i&amp;gt;.pdf" in page and "Q&lt;i&gt;.pdf" not in page
