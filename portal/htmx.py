"""The one helper that reads HTMX request headers and picks page or fragment."""

from __future__ import annotations

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block
from werkzeug.local import LocalProxy


class HtmxDetails:
    """What the HX-* headers of the current request say."""

    @property
    def request(self) -> bool:
        """An HTMX request that wants a fragment (history restores want the page)."""
        return (
            request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true"
        )

    @property
    def target(self) -> str | None:
        return request.headers.get("HX-Target")

    @property
    def trigger_name(self) -> str | None:
        return request.headers.get("HX-Trigger-Name")

    @property
    def boosted(self) -> bool:
        return request.headers.get("HX-Boosted") == "true"


htmx = LocalProxy(HtmxDetails)


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render the whole page, or only ``block`` for an HTMX request; vary on HX-Request."""
    if block and htmx.request:
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def htmx_redirect(url: str):
    """Tell HTMX to load ``url`` as a whole page."""
    response = make_response("", 204)
    response.headers["HX-Redirect"] = url
    return response


def trigger(response, event: str):
    """Add an HX-Trigger event to a response."""
    response.headers["HX-Trigger"] = event
    return response
