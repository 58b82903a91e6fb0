"""The page's language: chosen per request, shown in ``<html lang>``, switched from a menu.

A page is in the language its URL names (``?lang=es``), else the one the browser
prefers (``Accept-Language``). The page's own requests (its layout, its callbacks)
carry the page's URL as their referrer, so they answer in the page's language too.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from dash import html
from flask import request

from ..i18n import _, negotiate, restore, supported, switch
from ..model import Atlas
from .ids import ID


def request_lang(atlas: Atlas) -> str:
    """The language of the request being served."""
    asked = request.args.get("lang")
    if not asked and request.referrer:
        asked = (parse_qs(urlsplit(request.referrer).query).get("lang") or [""])[-1]
    return supported(asked, atlas.languages) or negotiate(request.headers.get("Accept-Language"), atlas.languages)


def install(server, atlas: Atlas) -> None:
    """Every request runs in its language (see :func:`request_lang`)."""
    @server.before_request
    def _choose():
        request.environ["bodymap.lang_token"] = switch(request_lang(atlas))

    @server.teardown_request
    def _reset(_error=None):
        token = request.environ.pop("bodymap.lang_token", None)
        if token is not None:
            restore(token)


def page_texts() -> str:
    """The words the page's scripts write, in the current language, as a script tag."""
    texts = {
        # TRANSLATORS: {view} is a view's name; {markers} of {total} count the markers drawn.
        "viewSummaryOne": _("{view} view: 1 point shown ({markers} of {total} markers)"),
        "viewSummary": _("{view} view: {points} points shown ({markers} of {total} markers)"),
        "sceneSummaryOne": _("3D body: 1 point shown ({markers} markers)"),
        "sceneSummary": _("3D body: {points} points shown ({markers} markers)"),
        # TRANSLATORS: follows "{count} points match"; {of} is a number of conditions.
        "rankedBy": _(", ranked by how many of the {of} conditions they serve"),
        "matchOne": _("1 point matches"),
        "matchMany": _("{count} points match"),
        "chosen": _("Chosen: {names}"),
        "listSeparator": _(", "),
        # TRANSLATORS: {status} is an HTTP status or a browser's error.
        "sceneCodeMissing": _("the 3D drawing code did not load ({status})"),
        "sceneBodyMissing": _("the 3D body did not load ({status})"),
        # TRANSLATORS: {problem} is one of the two messages before.
        "sceneProblem": _("The 3D view could not be shown: {problem}. The 2D views and the list still work."),
        "copied": _("Link copied."),
        "copyHint": _("Select the link and copy it (Ctrl+C)."),
    }
    return f"<script>window.bodymapText = {json.dumps(texts, ensure_ascii=False)};</script>"


def menu(atlas: Atlas, lang: str) -> html.Nav:
    """The language menu: each language's own name, a link that reloads the page, as it is, in it
    (assets/bodymap.js keeps the page's settings in the link)."""
    links = []
    for tag, language in atlas.languages.items():
        current = {"aria-current": "true"} if tag == lang else {}
        links.append(html.A(language.native, href=f"?lang={tag}", lang=tag, hrefLang=tag,
                            className="lang-choice" + (" fw-bold" if tag == lang else ""),
                            **{"data-lang": tag}, **current))
    return html.Nav(links, id=ID.LANG_MENU, className="lang-menu small ms-2 d-flex gap-2",
                    **{"aria-label": _("Language")})
