"""Shapes of contact details shared by providers and offers (empty means "not given")."""

from __future__ import annotations

# Empty string or the shape; the checks are deliberately loose (no delivery check).
EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s.]+$"
WEB_URL_PATTERN = r"^$|^https?://[^\s/?#]+\.[^\s/?#]+(/\S*)?$"
POSTCODE_PATTERN = r"^$|^\d{5}$"
PHONE_PATTERN = r"^[0-9+()/ \-]*$"
