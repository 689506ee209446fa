"""Serialise an EffectRanker with skops (explicit trusted types) behind a sha256 check.

Layout: ``MAGIC`` + 64 hex characters of sha256(payload) + skops payload. The digest of the whole
blob (``artifact_sha256``) is what the model registry stores next to the bytes.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile

import skops.io as sio

from training.ranking.ranker import EffectRanker

MAGIC = b"QMRANKER1\n"
DIGEST_LENGTH = 64

#: Every type a ranker artifact may contain; anything else is refused before loading.
TRUSTED_TYPES: tuple[str, ...] = (
    "training.ranking.ranker.EffectRanker",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.core.multiarray._reconstruct",
    "builtins.float",
    "builtins.int",
    "builtins.str",
)

#: Where the ranker's class lived before the packages by domain: artifacts registered by earlier
#: releases name it so; loading reads them under today's name (the digest is of the stored bytes).
LEGACY_MODULES: dict[str, str] = {"training.ranker": "training.ranking.ranker"}


class ArtifactIntegrityError(ValueError):
    """The artifact bytes are damaged, tampered with or contain untrusted types."""


def artifact_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ranker_to_bytes(ranker: EffectRanker) -> bytes:
    payload: bytes = sio.dumps(ranker)
    return MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + payload


def ranker_from_bytes(data: bytes, *, expected_sha256: str | None = None) -> EffectRanker:
    """Verify the embedded (and, if given, the registry's) digest, then load with skops."""
    if expected_sha256 is not None and not hmac.compare_digest(
        artifact_sha256(data), expected_sha256
    ):
        raise ArtifactIntegrityError("sha256 does not match the registered artifact")
    if not data.startswith(MAGIC):
        raise ArtifactIntegrityError("not a ranker artifact")
    header_end = len(MAGIC) + DIGEST_LENGTH
    digest, payload = data[len(MAGIC) : header_end].decode("ascii", "replace"), data[header_end:]
    if not hmac.compare_digest(hashlib.sha256(payload).hexdigest(), digest):
        raise ArtifactIntegrityError("artifact payload does not match its sha256")
    payload = _current_module_names(payload)
    try:
        untrusted = set(sio.get_untrusted_types(data=payload))
    except Exception as exc:  # skops raises several types on malformed archives
        raise ArtifactIntegrityError(f"unreadable artifact: {exc}") from exc
    unexpected = sorted(untrusted - set(TRUSTED_TYPES))
    if unexpected:
        raise ArtifactIntegrityError(f"artifact contains untrusted types: {unexpected}")
    ranker = sio.loads(payload, trusted=sorted(untrusted))
    if not isinstance(ranker, EffectRanker):
        raise ArtifactIntegrityError("artifact does not contain an EffectRanker")
    return ranker


def _current_module_names(payload: bytes) -> bytes:
    """The payload with module names of earlier releases (``LEGACY_MODULES``) replaced."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            schema = json.loads(archive.read("schema.json"))
            members = {name: archive.read(name) for name in archive.namelist()}
    except (zipfile.BadZipFile, KeyError, ValueError):
        return payload  # skops reports the damage below
    if not _rename_modules(schema):
        return payload
    members["schema.json"] = json.dumps(schema).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _rename_modules(node: object) -> bool:
    renamed = False
    if isinstance(node, dict):
        module = node.get("__module__")
        if isinstance(module, str) and module in LEGACY_MODULES:
            node["__module__"] = LEGACY_MODULES[module]
            renamed = True
        for value in node.values():
            renamed = _rename_modules(value) or renamed
    elif isinstance(node, list):
        for value in node:
            renamed = _rename_modules(value) or renamed
    return renamed
