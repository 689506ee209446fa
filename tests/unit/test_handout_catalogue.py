"""The handout's message catalogue is complete in every language and compiled as committed."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from service.recommendations import handout
from service.web import handout_pdf
from service.web.i18n import LANGUAGES, TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "service/web/templates/counsellor/handout.html",
    ROOT / "service/web/templates/counsellor/_handout_offer.html",
    ROOT / "service/web/handout_pdf.py",
]
CALL = re.compile(r"""(?:\b_|gettext)\(\s*(['"])(.+?)\1""")


def _used_messages() -> set[str]:
    found = {m.group(2) for path in SOURCES for m in CALL.finditer(path.read_text("utf-8"))}
    constants = [getattr(handout, n) for n in dir(handout) if n.startswith("BRING_")]
    return found | set(constants) | {handout_pdf.NOT_LISTED}


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "de"])
def test_every_handout_text_is_translated(lang):
    catalog = _catalog(lang)
    translated = {m.id for m in catalog if m.id and m.string}

    assert _used_messages() - translated == set()


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "de"])
def test_compiled_catalogue_matches_the_po_file(lang):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        committed = {m.id: m.string for m in read_mo(f) if m.id}

    compiled.seek(0)
    assert committed == {m.id: m.string for m in read_mo(compiled) if m.id}


def test_placeholders_survive_translation():
    for lang in LANGUAGES:
        if lang == "de":
            continue
        for message in _catalog(lang):
            if message.id:
                assert set(re.findall(r"%\(\w+\)s", message.id)) == set(
                    re.findall(r"%\(\w+\)s", message.string)
                ), (lang, message.id)
