"""A gemeente's house style (data/<gemeente>/huisstijl.yaml), in the spirit of Quarto's _brand.yml:
a logo, two colours and optionally a font. Without the file, the project's own look stays.

Colours are checked against WCAG 2.1 AA on the white page before anything is built: the primary
colour colours headings and links (text: 4,5:1), the accent colour the rules, the quote's bar and
single-series charts (graphics: 3:1). A colour that fails is refused with its contrast ratio and
the nearest darker colour of the same hue that passes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort
from jaarverslag.invoer import foto
from jaarverslag.invoer.yamlbestand import read_yaml

BESTAND = "huisstijl.yaml"
PRIMAIR, ACCENT = "#00567a", "#0072b2"  # the project's own look (jaarverslag.css, the charts' first colour)
TEKST, GRAFISCH = 4.5, 3.0  # WCAG 2.1 AA: text (1.4.3) and graphics and rules (1.4.11)
SLEUTELS = ("logo", "logo_alt", "kleur_primair", "kleur_accent", "lettertype")
HEX = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Huisstijl:
    kleur_primair: str = PRIMAIR
    kleur_accent: str = ACCENT
    logo: Path | None = None
    logo_alt: str = ""
    lettertype: str = ""

    @property
    def eigen(self) -> bool:
        """Whether it differs from the project's own look (else nothing is added to the CSS)."""
        return self != Huisstijl()


def pad(gemeente: str) -> Path:
    return paths.DATA / gemeente / BESTAND


def bestanden(gemeente: str) -> list[Path]:
    """The house style's files (inputs of the report): the YAML file and its logo."""
    path = pad(gemeente)
    if not path.exists():
        return []
    try:
        logo = lees(gemeente).logo
    except ParameterFout:  # the build itself says what is wrong
        return [path]
    return [path, *([logo] if logo else [])]


def lees(gemeente: str) -> Huisstijl:
    """The gemeente's house style; raises ParameterFout naming the file, every key that is wrong and why."""
    path = pad(gemeente)
    if not path.exists():
        return Huisstijl()
    where = paths.relative(path)
    data = read_yaml(path, where)
    if not isinstance(data, dict):
        raise ParameterFout(f"{where}: het bestand is geen lijst van sleutels met waarden ({', '.join(SLEUTELS)}).")
    problems = [
        f"sleutel '{kort(str(k), 40)}': onbekend; toegestaan zijn {', '.join(SLEUTELS)}"
        for k in data
        if k not in SLEUTELS
    ]
    colours = {
        k: _kleur(data, k, minimum, problems) for k, minimum in (("kleur_primair", TEKST), ("kleur_accent", GRAFISCH))
    }
    logo = _logo(path, data, problems)
    font = str(data.get("lettertype") or "").strip()
    if font and not _lettertype_bestaat(font):
        problems.append(f"sleutel 'lettertype': '{kort(font, 60)}' is op dit systeem niet geïnstalleerd (fc-list)")
    if problems:
        raise ParameterFout(f"{where} klopt niet:\n" + "\n".join(f"  - {p}" for p in problems))
    return Huisstijl(
        colours["kleur_primair"], colours["kleur_accent"], logo, str(data.get("logo_alt") or "").strip(), font
    )


def _kleur(data: dict, key: str, minimum: float, problems: list[str]) -> str:
    default = PRIMAIR if key == "kleur_primair" else ACCENT
    value = str(data.get(key) or default).strip()
    if not HEX.fullmatch(value):
        problems.append(f"sleutel '{key}': '{kort(value, 20)}' is geen kleur als #rrggbb")
        return default
    ratio = contrast(value, "#ffffff")
    if ratio < minimum:
        what = "tekst" if minimum == TEKST else "lijnen en grafieken"
        problems.append(
            f"sleutel '{key}': {value} heeft op wit een contrast van {_nl(ratio)}:1, minder dan de {_nl(minimum)}:1 "
            f"die WCAG 2.1 AA voor {what} vraagt; de dichtstbijzijnde kleur die wel voldoet is {dichtstbij(value, minimum)}"
        )
    return value.lower()


def _nl(ratio: float) -> str:
    return f"{ratio:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _logo(path: Path, data: dict, problems: list[str]) -> Path | None:
    if not data.get("logo"):
        return None
    logo = path.parent / str(data["logo"])
    if not str(data.get("logo_alt") or "").strip():
        problems.append("sleutel 'logo_alt': een logo heeft een beschrijving nodig voor wie het niet ziet")
    if logo.suffix.lower() == ".svg":
        text = logo.read_text(encoding="utf-8", errors="replace") if logo.is_file() else ""
        if "<svg" not in text or re.search(r"<script|\bon\w+\s*=", text, re.I):
            problems.append(
                f"sleutel 'logo': {paths.relative(logo)} is geen bruikbaar SVG-bestand (of bevat een script)"
            )
        return logo
    problem = foto.probleem(logo)
    if problem or foto.soort(logo) != "PNG":
        problems.append(
            f"sleutel 'logo': {paths.relative(logo)} {problem or 'is geen PNG-bestand'}; een logo is SVG of PNG"
        )
    return logo


def _lettertype_bestaat(naam: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    families = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=20).stdout
    return any(naam.casefold() == f.strip().casefold() for line in families.splitlines() for f in line.split(","))


def _luminantie(hex_kleur: str) -> float:
    def kanaal(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_kleur[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * kanaal(r) + 0.7152 * kanaal(g) + 0.0722 * kanaal(b)


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminantie(a), _luminantie(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def dichtstbij(hex_kleur: str, minimum: float) -> str:
    """The least darkened colour of the same hue that reaches `minimum` on white."""
    r, g, b = (int(hex_kleur[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(101):
        f = 1 - step / 100
        candidate = f"#{round(r * f):02x}{round(g * f):02x}{round(b * f):02x}"
        if contrast(candidate, "#ffffff") >= minimum:
            return candidate
    return "#000000"
