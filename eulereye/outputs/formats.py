"""Which output formats a run writes: the names ``--formats`` and ``EULEREYE_FORMATS`` take.

``txt`` is ``ocr_plain_text/``, ``coords`` the two ``ocr_coords/`` files, ``sections`` the
section JSON; ``alto``, ``hocr``, ``page`` (PAGE-XML) and ``pdf`` one file each. The manifest is
always written, last.
"""

from __future__ import annotations

FORMATS = ("txt", "coords", "sections", "alto", "hocr", "page", "pdf")
DEFAULT_FORMATS = ("txt", "coords", "sections", "alto")
ALTO_PROFILES = ("pixel", "ndnp")


def parse_formats(text: str) -> tuple[str, ...]:
    """``"alto,txt"`` -> ``("txt", "alto")`` (the order of ``FORMATS``); ``""`` -> the default
    set; ``"all"`` -> every format. Raises ValueError naming any unknown format."""
    names = {part.strip().lower() for part in text.split(",") if part.strip()}
    if not names:
        return DEFAULT_FORMATS
    if names == {"all"}:
        return FORMATS
    unknown = sorted(names - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown output format(s) {', '.join(unknown)}; "
                         f"choose from {','.join(FORMATS)} or all")
    return tuple(f for f in FORMATS if f in names)


def check_format_settings(formats: str, alto_profile: str) -> None:
    """Raises ValueError naming the ``EULEREYE_*`` variable that is wrong (the worker's check)."""
    try:
        parse_formats(formats)
    except ValueError as exc:
        raise ValueError(f"EULEREYE_FORMATS: {exc}") from exc
    if alto_profile not in ALTO_PROFILES:
        raise ValueError(f"EULEREYE_ALTO_PROFILE: {alto_profile!r} is not one of {', '.join(ALTO_PROFILES)}")
