"""A photo as it is published: no metadata at all, scaled to what print needs, bytes that
do not change between builds.

The published image is drawn anew from the photo's pixels (turned upright as its EXIF says),
so no EXIF (GPS position, camera serial), XMP, IPTC, comment or colour profile comes along.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

LANGE_ZIJDE = 1600  # pixels on the long side: 13.5 cm at 300 dpi, more than the page's text width
JPEG_KWALITEIT = 85


def schoon(path: Path) -> tuple[bytes, str]:
    """The published bytes of a photo and their MIME type."""
    return _schoon(path, path.stat().st_mtime_ns, path.stat().st_size)


@cache
def _schoon(path: Path, _mtime: int, _size: int) -> tuple[bytes, str]:
    from PIL import Image, ImageOps  # start-up: Pillow only where a photo is drawn

    with Image.open(path) as image:
        kind = image.format
        upright = ImageOps.exif_transpose(image)
        pixels = _modus(upright, kind)
        pixels.thumbnail((LANGE_ZIJDE, LANGE_ZIJDE), Image.Resampling.LANCZOS)
        bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())  # pixels only: no info, no metadata
    out = io.BytesIO()
    if kind == "JPEG":
        bare.save(out, "JPEG", quality=JPEG_KWALITEIT, optimize=False, progressive=False)
        return out.getvalue(), "image/jpeg"
    bare.save(out, "PNG", optimize=False)
    return out.getvalue(), "image/png"


def _modus(image, kind: str):
    """RGB for a JPEG; a PNG keeps its transparency (RGBA) or becomes RGB or grey."""
    if kind == "JPEG":
        return image.convert("RGB")
    if image.mode in ("RGBA", "LA", "P", "PA") and ("transparency" in image.info or "A" in image.mode):
        return image.convert("RGBA")
    return image.convert("L" if image.mode in ("1", "L", "I", "I;16") else "RGB")


def data_uri(path: Path) -> str:
    """The cleaned photo as a data: URI, so the HTML stays one self-contained file."""
    data, mime = schoon(path)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
