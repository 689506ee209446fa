"""Make the German catalogue the source wording: every msgstr equals its msgid, nothing fuzzy.

German is the source language of all user text, so ``de`` ships the texts exactly as written
in the code; ``make translations`` runs this after ``pybabel update``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "service/translations/de/LC_MESSAGES/messages.po"


def main() -> int:
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="de")
    for message in catalogue:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with PO.open("wb") as f:
        write_po(f, catalogue, omit_header=False, no_location=True, width=100)
    return 0


if __name__ == "__main__":
    sys.exit(main())
