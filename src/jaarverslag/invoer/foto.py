"""A photo for the magazine as an input: JPEG or PNG only, and one that opens completely."""

from __future__ import annotations

from pathlib import Path

from jaarverslag import paths

SOORTEN = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}  # the first bytes of each accepted format
MAX_PIXELS = 80_000_000  # a 12-megapixel phone photo is fine; a decompression bomb is not


def soort(path: Path) -> str | None:
    """'JPEG' or 'PNG' by the file's first bytes (not its name), or None."""
    with path.open("rb") as handle:
        head = handle.read(8)
    return next((kind for magic, kind in SOORTEN.items() if head.startswith(magic)), None)


_BEOORDEELD: dict[str, str | None] = {}  # sha256 of a photo's bytes -> its problem (None: none)


def probleem(path: Path) -> str | None:
    """Why this photo cannot be published (Dutch, after the file's name), or None.

    Decoding every pixel takes a while, and the live preview checks the photos after each edit:
    a process judges the same bytes once."""
    if not path.is_file():
        return "bestaat niet"
    return paths.eens_per_inhoud(_BEOORDEELD, path, _probleem)


def _probleem(path: Path) -> str | None:
    from PIL import Image, ImageFile  # start-up: Pillow only where a photo is read

    try:
        kind = soort(path)
        if kind is None:
            return "is geen JPEG- of PNG-bestand; sla de foto op als JPEG of PNG"
        with Image.open(path) as image:
            if image.format != kind or image.width * image.height > MAX_PIXELS:
                return f"is geen bruikbaar {kind}-bestand (het formaat of de afmetingen kloppen niet)"
            lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False  # others may relax it
            try:
                image.load()  # decodes every pixel: a truncated or damaged file fails here
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return "is beschadigd of onvolledig en kan niet gelezen worden"
    return None
