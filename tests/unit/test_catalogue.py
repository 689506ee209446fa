"""German user text lives in one message catalogue.

(a) Every German string literal in a user-facing module goes through a gettext marker, so that
``pybabel extract`` finds it; (b) ``service/translations/messages.pot`` is what extraction gives
for the code as it is; (c) the shipped German catalogue holds every message and is compiled as
committed.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "service" / "translations"

#: Text that reads German to a maintainer: umlauts, ß or frequent German function words.
GERMAN = re.compile(
    r"[äöüÄÖÜß]"
    r"|\b(?i:nicht|und|oder|ist|sind|eine?n?|keine?n?|bitte|wurden?|werden|wird|mit|ohne|bei|zum|"
    r"zur|vom|von|noch|nur|auch|auf|nach|dem|sich|gibt|kann|muss|darf|fehlt|erwartet|gefunden|"
    r"angebote?|fehler|datei|profil|empfehlung(?:en)?|benutzer|gates?|zahl|wert|feld)\b"
    r"|\b(?:der|die|das|den|des|Sie|Ihre?)\b"
)
MARKERS = frozenset({"_", "gettext", "lazy_gettext", "_l", "ngettext", "lazy_ngettext"})
LOG_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "critical", "bind"})
#: Calls whose string arguments are patterns or lookups, never shown as such.
NON_TEXT_CALLS = frozenset(
    {"compile", "match", "search", "sub", "fullmatch", "findall", "startswith", "endswith",
     "split", "replace", "strip", "get", "index", "find", "count", "Literal", "cast", "route"}
)  # fmt: skip

#: Modules whose German literals are data, not interface text.
DATA_MODULES: dict[str, str] = {
    "service/demo/seed.py": "demo providers and offers: content, as a provider would enter it",
    "service/demo/seed_history.py": "demo history: content, not interface text",
    "service/demo/details.py": "demo addresses, certificates and funding notes: content",
    "service/occupations/normalise.py": "German spellings the occupation search folds and matches",
    "service/web/i18n.py": "language names, each written in its own language",
}
DATA_PACKAGES: dict[str, str] = {
    "training/synthetic/": "generator of the synthetic world: data, never shown as text",
}
#: Module-level names whose literals are a file format or a vocabulary, not interface text.
DATA_NAMES: dict[tuple[str, str], str] = {
    ("service/offers/csv_format.py", "TRUE_WORDS"): "CSV cell values that read as yes",
    ("service/offers/csv_format.py", "FALSE_WORDS"): "CSV cell values that read as no",
    ("service/offers/csv_format.py", "MEASURE_WORDS"): "CSV spellings of measure types",
    ("service/offers/csv_format.py", "FUNDING_WORDS"): "CSV spellings of funding types",
    ("service/offers/csv_format.py", "FORMAT_WORDS"): "CSV spellings of offer formats",
    ("service/offers/csv_format.py", "GROUP_WORDS"): "CSV spellings of target groups",
    ("service/offers/csv_format.py", "LANGUAGE_WORDS"): "CSV spellings of languages",
    ("service/offers/csv_format.py", "TEMPLATE_ROW"): "the CSV template's example row",
    ("service/offers/csv_format.py", "parse_level"): "CSV spellings of 'no German'",
    ("service/offers/wbs_classify.py", "RULES"): "patterns matched against course titles",
}
#: Positional arguments / keywords of calls that spell a file format.
DATA_ARGUMENTS: dict[str, tuple[frozenset[int], frozenset[str]]] = {
    # CSV column header and its accepted spellings (the import format, not interface text)
    "Column": (frozenset({0, 1}), frozenset({"header", "aliases"})),
    "Header": (frozenset({0, 1}), frozenset({"text", "aliases"})),
}
#: Single literals that are identifiers in a source format.
DATA_STRINGS: dict[tuple[str, str], str] = {
    ("service/offers/wbs_mapping.py", "adresse.ortStraße.plz"): "field path in the WBS export",
}


def _is_data_module(rel: str) -> bool:
    return rel in DATA_MODULES or any(rel.startswith(p) for p in DATA_PACKAGES)


def user_facing_modules() -> list[Path]:
    files = sorted((ROOT / "service").rglob("*.py")) + sorted((ROOT / "training").rglob("*.py"))
    return [p for p in files if not _is_data_module(p.relative_to(ROOT).as_posix())]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


#: Identifiers, paths and URLs that happen to be German words ("angebot", "/benutzer/<id>").
IDENTIFIER = re.compile(r"[a-z0-9_.\-/<>:]+|/\S*|--\S+|attachment; .*")


def _german(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        text = node.value
        return (
            isinstance(text, str) and bool(GERMAN.search(text)) and not IDENTIFIER.fullmatch(text)
        )
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and _german(v) for v in node.values)
    return False


def _call_name(call: ast.Call) -> tuple[str, str]:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id, ""
    if isinstance(func, ast.Attribute):
        value = func.value
        receiver = value.id if isinstance(value, ast.Name) else getattr(value, "attr", "")
        return func.attr, receiver
    return "", ""


def unmarked(path: Path) -> list[ast.Constant | ast.JoinedStr]:
    """German literals (or f-strings) in ``path`` that no gettext marker wraps."""
    return unmarked_in(path.read_text("utf-8"), path.relative_to(ROOT).as_posix())


def unmarked_in(source: str, rel: str) -> list[ast.Constant | ast.JoinedStr]:
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    data_names = {name for (module, name) in DATA_NAMES if module == rel}
    data_strings = {text for (module, text) in DATA_STRINGS if module == rel}
    found: list[ast.Constant | ast.JoinedStr] = []

    def visit(node: ast.AST, skip: bool) -> None:
        if isinstance(node, ast.Constant | ast.JoinedStr):
            if (
                not skip
                and id(node) not in docstrings
                and _german(node)
                and getattr(node, "value", None) not in data_strings
            ):
                found.append(node)
            return
        if isinstance(node, ast.Call):
            name, receiver = _call_name(node)
            if name in MARKERS:  # the message itself; its keyword values are checked
                for keyword in node.keywords:
                    visit(keyword.value, skip)
                return
            logged = name in LOG_METHODS and "log" in receiver.lower()
            inner = skip or logged or name in NON_TEXT_CALLS
            positions, keywords = DATA_ARGUMENTS.get(name, (frozenset(), frozenset()))
            visit(node.func, skip)
            for i, arg in enumerate(node.args):
                visit(arg, inner or i in positions)
            for keyword in node.keywords:
                visit(keyword.value, inner or keyword.arg in keywords)
            return
        if isinstance(node, ast.Dict):  # keys look things up; values may be text
            for key in node.keys:
                if key is not None:
                    visit(key, True)
            for value in node.values:
                visit(value, skip)
            return
        if isinstance(node, ast.Compare):  # compared against input, never shown
            return
        if isinstance(node, ast.Subscript):
            visit(node.value, skip)
            return
        if isinstance(node, ast.arg):
            return
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if node.value is not None:
                visit(node.value, skip or bool(names & data_names))
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                visit(decorator, skip)
            visit(node.args, skip)
            for statement in node.body:
                visit(statement, skip or node.name in data_names)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, skip)

    visit(tree, False)
    return found


def test_the_checker_finds_an_unmarked_german_literal():
    sample = (
        '"""Kein Fehler: Docstring."""\n'
        "from flask_babel import gettext as _\n"
        'A = _("Träger gespeichert.")\n'
        'B = "Träger gelöscht."\n'
        'C = f"Angebot {A} nicht gefunden"\n'
        'D = _("Wert %(x)s", x=f"für {A}")\n'
        'log.info("Träger", detail="ä")\n'
        'if x == "Träger": pass\n'
    )
    found = [node.lineno for node in unmarked_in(sample, "service/probe.py")]

    assert found == [4, 5, 6]


@pytest.mark.slow  # parses the whole tree
def test_every_german_literal_in_user_facing_code_is_marked():
    problems = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}"
        for path in user_facing_modules()
        for node in unmarked(path)
    ]
    assert problems == []


def _msgids(pot: Path) -> set[str]:
    with pot.open("rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


@pytest.mark.slow  # parses the whole tree
def test_the_template_is_up_to_date(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip

    committed = _msgids(TRANSLATIONS / "messages.pot")
    extracted = _msgids(fresh)
    assert sorted(extracted - committed) == [], "make translations (new texts)"
    assert sorted(committed - extracted) == [], "make translations (texts gone)"


def _german_catalogue():
    with (TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def _key(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    """A message id or string; plural forms as a tuple."""
    return value if isinstance(value, str) else tuple(value)


def test_the_german_catalogue_holds_every_message_unchanged():
    catalogue = {_key(m.id): _key(m.string) for m in _german_catalogue() if m.id and not m.fuzzy}

    assert {i if isinstance(i, str) else i[0] for i in catalogue} == _msgids(
        TRANSLATIONS / "messages.pot"
    )
    # German is the source language: the shipped wording is the source wording.
    assert [i for i, s in catalogue.items() if s and s != i] == []


def test_the_german_catalogue_is_compiled_as_committed():
    compiled = io.BytesIO()
    write_mo(compiled, _german_catalogue())
    with (TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        committed = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}

    compiled.seek(0)
    assert committed == {_key(m.id): _key(m.string) for m in read_mo(compiled) if m.id}


@pytest.mark.parametrize("lang", ["ar", "en", "ru", "tr", "uk"])
def test_handout_catalogues_translate_only_known_messages(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        handout = {m.id for m in read_po(f) if m.id}

    assert handout - _msgids(TRANSLATIONS / "messages.pot") == set()


def test_training_texts_are_german_unless_a_catalogue_is_installed():
    from babel.messages.catalog import Catalog
    from babel.support import Translations

    from training import text

    assert text._("Nächster Beginn erst am %(date)s", date="01.03.2030") == (
        "Nächster Beginn erst am 01.03.2030"
    )
    assert text.ngettext("%(num)d Angebot", "%(num)d Angebote", 2) == "2 Angebote"
    catalog = Catalog(locale="en")
    catalog.add("Keine freien Plätze", "No free seats")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    try:
        text.use(Translations(compiled))
        assert text._("Keine freien Plätze") == "No free seats"
    finally:
        text.use(gettext.NullTranslations())
    assert text._("Keine freien Plätze") == "Keine freien Plätze"
