"""Indonesian is the default language and its catalogue is complete."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "N_": None,
    "Np_": (1, 2),
    "lazy_gettext": None,
}


def _scanned(dirpath) -> bool:
    """As the Makefile's ``--ignore-dirs``: hidden folders and caches are skipped, the
    ``_partials`` and ``_macros`` template folders are not (Babel skips ``_`` folders
    unless told otherwise)."""
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def source_messages() -> set[str]:
    """Every translatable string in the code and templates, as the Makefile extracts them."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=_scanned
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def indonesian_catalogue():
    with open(ROOT / "portal/translations/id/LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f, locale="id")


def test_every_message_has_an_indonesian_translation():
    catalogue = indonesian_catalogue()
    missing = []
    for msgid in sorted(source_messages()):
        entry = catalogue.get(msgid)
        strings = entry.string if entry else None
        values = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(values):
            missing.append(msgid)
    assert missing == [], f"{len(missing)} messages lack an Indonesian translation: {missing[:20]}"


def test_catalogue_placeholders_match():
    """Babel's checkers: the same %(name)s placeholders in source and translation."""
    problems = [
        (message.id, [str(e) for e in errors]) for message, errors in indonesian_catalogue().check()
    ]
    assert problems == []


def test_pages_are_indonesian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="id"' in page
    assert "Masuk" in page


def test_english_on_request(client):
    client.post("/locale", data={"locale": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Log in" in page


def test_wtforms_own_messages_are_indonesian(app):
    """WTForms ships no Indonesian; its built-in messages come from the portal's catalogue."""
    from flask_wtf import FlaskForm
    from wtforms import SelectField, StringField
    from wtforms.validators import DataRequired, Length

    class Form(FlaskForm):
        name = StringField(validators=[DataRequired(), Length(max=3)])
        kind = SelectField(choices=["a", "b"])

    with app.test_request_context(method="POST", data={"name": "", "kind": "z"}):
        form = Form(meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == ["Bidang ini wajib diisi."]
        assert form.kind.errors == ["Bukan pilihan yang valid."]
    with app.test_request_context(method="POST", data={"name": "panjang", "kind": "a"}):
        form = Form(meta={"csrf": False})
        form.validate()
        assert form.name.errors == ["Isian tidak boleh lebih dari 3 karakter."]


def test_shared_partials_and_macros_are_extracted_too():
    """Strings written only in templates/_partials or _macros reach the catalogue."""
    assert "This form has expired. Please send it again." in source_messages()
