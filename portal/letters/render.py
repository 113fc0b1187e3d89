"""Plain letter data → HTML → PDF bytes with WeasyPrint.

One template (``templates/letters/bast.html``) with its own print CSS (``print.css``) and
the fonts shipped in ``static/fonts``; nothing is fetched. The Jinja environment is this
module's own (autoescaping, no Flask), so a letter renders the same in a request, a task,
a CLI command and the benchmark. The parsed stylesheet and font configuration are kept per
process: parsing them is a good part of a small document's time.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

import qrcode
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from portal.core import words
from portal.letters.data import LetterData

PORTAL = Path(__file__).resolve().parent.parent
TEMPLATES = PORTAL / "templates"
STATIC = PORTAL / "static"
TEMPLATE = "letters/bast.html"
STYLESHEET = TEMPLATES / "letters" / "print.css"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        rupiah=words.rupiah,
        terbilang=words.terbilang,
        thousands=words.thousands,
        long_date=words.long_date,
        date_phrase=words.date_phrase,
    )
    return env


@cache
def stylesheet(path: Path = STYLESHEET) -> tuple[CSS, FontConfiguration]:
    """A print stylesheet with its own fonts, parsed once per process (the letter, the
    receipts and the impact report each have one)."""
    fonts = FontConfiguration()
    css = CSS(
        filename=str(path),
        base_url=f"{STATIC.as_uri()}/",
        font_config=fonts,
        url_fetcher=LocalFetcher(),
    )
    return css, fonts


def qr_data_uri(address: str) -> str:
    """The verification address as a QR code: a small black-and-white PNG ``data:`` URI.
    A raster image is decoded once and reused on every page (an SVG path is drawn anew on
    each, which took a third of a 6-page letter's time); print.css keeps it crisp."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2)
    code.add_data(address)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().get_image().convert("1").save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def letter_html(letter: LetterData) -> str:
    return (
        environment()
        .get_template(TEMPLATE)
        .render(letter=letter, qr=qr_data_uri(letter.verification_url))
    )


def html_to_pdf(html: str, style: Path = STYLESHEET) -> bytes:
    """WeasyPrint with a print stylesheet (the letter's by default) and its fonts; no
    other resource is loaded."""
    css, fonts = stylesheet(style)
    document = HTML(string=html, base_url=f"{STATIC.as_uri()}/", url_fetcher=LocalFetcher())
    return document.write_pdf(stylesheets=[css], font_config=fonts)


def render_pdf(letter: LetterData) -> bytes:
    """The unsigned letter as PDF bytes."""
    return html_to_pdf(letter_html(letter))


class LocalFetcher(URLFetcher):
    """Let WeasyPrint read only ``data:`` URIs and the shipped files, never the network."""

    def fetch(self, url, headers=None):
        if url.startswith("data:") or url.startswith(STATIC.as_uri() + "/"):
            return super().fetch(url, headers)
        raise ValueError(f"letters load no outside resource: {url[:60]}")
