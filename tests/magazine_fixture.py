"""A gemeente's magazine for the tests: a voorwoord and two stories, one with a phone-like photo that
carries GPS EXIF, a camera serial, XMP, IPTC and a comment; and a house style with a logo."""

from __future__ import annotations

import io
import struct
from pathlib import Path

SERIAL = "SERIENUMMER-4711-XYZ"
XMP_MARK = "xmp-geheime-plek"
IPTC_MARK = "iptc-fotograaf-geheim"
COMMENT_MARK = "commentaar-met-locatie"
FOTO_ALT = "Een getekend schoolplein met een bankje en een fiets."
LOGO_ALT = "Logo van de testgemeente"
PRIMAIR, ACCENT = "#7a1f5c", "#c0392b"
QUOTE = "Een leerling die weer komt, is het mooiste resultaat."

VOORWOORD = """---
titel: Vooraf
naam: De wethouder Onderwijs
functie: Gemeente Testdorp
citaat: Samen zorgen we dat ieder kind leert.
---
Samen zorgen we dat ieder kind leert. Dit verslag laat zien hoe dat gaat.
"""

VERHAAL_FOTO = f"""---
titel: Terug naar het schoolplein
bij: wettelijk_verzuim
citaat: {QUOTE}
foto: ../beelden/plein.jpg
foto_alt: {FOTO_ALT}
foto_bijschrift: Het schoolplein, getekend voor dit verslag.
---
Een leerplichtambtenaar vertelt over haar werk. "{QUOTE}" Zo zegt ze het zelf.
"""

VERHAAL_COACH = """---
titel: Een coach naast de jongere
bij: Doorstroompunt
citaat: Ik loop een stukje mee.
---
Een doorstroomcoach begeleidt jongeren zonder startkwalificatie. Ik loop een stukje mee, zegt hij.
"""

LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">'
    f'<rect width="60" height="60" fill="{PRIMAIR}"/><text x="70" y="40" font-size="24">Testdorp</text></svg>'
)


def _iptc_segment() -> bytes:
    """An APP13 (Photoshop 3.0) segment with an IPTC by-line, as a camera app writes it."""
    dataset = b"\x1c\x02\x50" + struct.pack(">H", len(IPTC_MARK)) + IPTC_MARK.encode()
    block = b"8BIM" + b"\x04\x04" + b"\x00\x00" + struct.pack(">I", len(dataset)) + dataset
    payload = b"Photoshop 3.0\x00" + block
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A 12-megapixel JPEG with GPS EXIF, a body serial number, XMP, IPTC and a comment."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 15.0, 3.0), "E", (6.0, 9.0, 40.0)
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description about="{XMP_MARK}"/></x:xmpmeta>'.encode()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=xmp, comment=COMMENT_MARK, quality=90)
    data = out.getvalue()
    return data[:2] + _iptc_segment() + data[2:]  # right after SOI


def schrijf(root: Path, gemeente: str = "deventer", schooljaar: str = "2022-2023") -> Path:
    """Replace the gemeente's magazine content and house style in a project copy by the fixture's."""
    import shutil

    folder = root / "params" / gemeente / schooljaar
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "verhalen").mkdir(parents=True)
    (folder / "beelden").mkdir()
    (folder / "voorwoord.md").write_text(VOORWOORD, encoding="utf-8")
    (folder / "verhalen" / "a-plein.md").write_text(VERHAAL_FOTO, encoding="utf-8")
    (folder / "verhalen" / "b-coach.md").write_text(VERHAAL_COACH, encoding="utf-8")
    (folder / "beelden" / "plein.jpg").write_bytes(phone_photo())
    data = root / "data" / gemeente
    (data / "logo.svg").write_text(LOGO, encoding="utf-8")
    (data / "huisstijl.yaml").write_text(
        f'logo: logo.svg\nlogo_alt: {LOGO_ALT}\nkleur_primair: "{PRIMAIR}"\nkleur_accent: "{ACCENT}"\n',
        encoding="utf-8",
    )
    return folder
