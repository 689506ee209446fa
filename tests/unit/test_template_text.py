"""German text in Jinja templates goes through a gettext marker, so that the one catalogue
holds it (the Python side: ``test_catalogue.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.unit.test_catalogue import GERMAN, ROOT

#: Template text that is a name, the same in every language.
TEMPLATE_NAMES: dict[str, str] = {
    "qm": "the product's initials in the logo",
    "qualimatch": "the product's name",
    "Krefeld": "the city the service is run for",
    "qualimatch Krefeld": "the product's name and city in the page title",
}
#: String literals in template expressions that are lookup keys, not shown as written.
DATA_TEMPLATE_STRINGS: dict[tuple[str, str], str] = {
    ("service/web/templates/coordinator/coverage.html", "Summe"): "key of the totals row/column",
    ("service/web/templates/auth/_layout.html", "card narrow auth-card"): "CSS classes",
    ("service/web/templates/auth/enrol.html", "card auth-card enrol"): "CSS classes",
}
#: Attributes whose values people read (buttons' ``value`` is covered by their text).
TEXT_ATTRIBUTES = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"')
#: Comments, trans blocks (their text is the message), expressions and statements.
JINJA = re.compile(
    r"\{#.*?#\}"
    r"|\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*[-+]?%\}"
    r"|\{\{.*?\}\}|\{%.*?%\}",
    re.S,
)
TRANS = re.compile(r"\{%-?\s*trans\b")
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&(?:[a-zA-Z]+|#\d+);")
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")
TEMPLATE_MARKERS = frozenset({"_", "gettext", "ngettext"})
#: A string literal in a template expression reads as text: German, several words, or a noun.
MARKUP_KEYWORDS = frozenset({"class_", "id", "type", "autocomplete", "inputmode", "pattern"})
TEXT_LITERAL = re.compile(r"\w{2,}\s+\w|^[A-ZÄÖÜ][a-zäöüß]+$")


def templates() -> list[Path]:
    return sorted((ROOT / "service" / "web" / "templates").rglob("*.html")) + sorted(
        (ROOT / "training" / "templates").rglob("*.j2")
    )


def _blank(match: re.Match[str]) -> str:
    """Stand-in for markup or an expression that keeps the line numbers."""
    return "\x00" + "\n" * match.group(0).count("\n")


def _is_message(before: list[str]) -> bool:
    """Whether the literal after these tokens is a message: a marker's first argument, or
    the plural of ``ngettext``."""
    if len(before) >= 2 and before[-1] == "(" and before[-2] in TEMPLATE_MARKERS:
        return True
    return len(before) == 4 and before[:2] == ["ngettext", "("] and before[3] == ","


def _is_key(before: list[str]) -> bool:
    """Whether the literal is looked up (``|de('Role')``) or spells markup (``class_='btn'``)."""
    if len(before) < 2:
        return False
    return (before[-1] == "(" and before[-2] in {"de", "label"}) or (
        before[-1] == "=" and before[-2] in MARKUP_KEYWORDS
    )


def _text_literals(expression: str) -> list[str]:
    """String literals in one ``{{ … }}`` or ``{% … %}`` that are shown but not marked."""
    from jinja2 import Environment

    lexed = Environment(autoescape=True).lex(expression)
    tokens = [(kind, value) for _, kind, value in lexed if kind != "whitespace"]
    found = []
    for i, (kind, value) in enumerate(tokens):
        before = [v for _, v in tokens[max(0, i - 4) : i]]
        text = value[1:-1]
        if kind != "string" or _is_message(before) or _is_key(before):
            continue
        if GERMAN.search(text) or TEXT_LITERAL.search(text):
            found.append(text)
    return found


def unmarked_template_text(source: str, rel: str = "") -> list[tuple[int, str]]:
    """German text in a template, as (line, text), that no gettext call or trans block wraps."""
    data = {text for (template, text) in DATA_TEMPLATE_STRINGS if template == rel}
    found: list[tuple[int, str]] = []
    for match in JINJA.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        if not match.group(0).startswith("{#") and not TRANS.match(match.group(0)):
            literals = _text_literals(match.group(0))
            found += [(line, text) for text in literals if text not in data]
    blanked = JINJA.sub(_blank, source)
    for match in TEXT_ATTRIBUTES.finditer(blanked):
        value = ENTITY.sub(" ", match.group(1))
        if WORD.search(value):
            found.append((blanked.count("\n", 0, match.start()) + 1, value.replace("\x00", "…")))
    text_only = TAG.sub(_blank, blanked)
    for match in re.finditer(r"[^\x00]+", text_only):
        text = ENTITY.sub(" ", match.group(0)).strip(" \n·–,.;:()")
        if WORD.search(text) and text not in TEMPLATE_NAMES:
            found.append((text_only.count("\n", 0, match.start()) + 1, text))
    return sorted(found)


def test_the_template_checker_finds_unmarked_text():
    sample = (
        "{# Kommentar: kein Text #}\n"
        "<h1>{{ _('Angebote') }}</h1>\n"
        "<p>Keine Angebote</p>\n"
        '<a href="{{ url }}" title="Öffnen">{{ _("Weiter") }}</a>\n'
        "<span>{{ 'Ja' if x else 'nein danke' }} {{ x|de('Role') }}</span>\n"
        "{{ f.submit(class_='btn btn-primary') }}\n"
        "{% trans n=1 %}{{ n }} Angebot{% endtrans %}\n"
        "<p>{{ ngettext('%(num)s Profil', '%(num)s Profile', n) }} &nbsp; · qualimatch</p>\n"
        "<p>Regelbetrieb</p>\n"
    )

    found = unmarked_template_text(sample)

    assert found == [
        (3, "Keine Angebote"),
        (4, "Öffnen"),
        (5, "Ja"),
        (5, "nein danke"),
        (9, "Regelbetrieb"),
    ]


def test_every_german_text_in_a_template_is_marked():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {text[:80]}"
        for path in templates()
        for line, text in unmarked_template_text(
            path.read_text("utf-8"), path.relative_to(ROOT).as_posix()
        )
    ]
    assert problems == []
