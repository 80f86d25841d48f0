"""The magazine's editorial content: a voorwoord and stories from practice ("Uit de praktijk").

They live beside the params, per gemeente and school year, in params/<gemeente>/<schooljaar>/:
`voorwoord.md` and `verhalen/*.md`, each a short YAML front matter between two `---` lines and
a Markdown body. Everything wrong in any of these files is reported at once, in one message
that names the file and the key; nothing is built until they are right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from jaarverslag import paths
from jaarverslag.errors import JaarverslagFout, ParameterFout, kort
from jaarverslag.invoer import foto
from jaarverslag.invoer.definitie import anker, verslag
from jaarverslag.invoer.privacy import find_person_data, normalised
from jaarverslag.invoer.yamlbestand import laad

VOORWOORD = "voorwoord.md"
VERHALEN = "verhalen"
MAX_BYTES = 256 * 1024
FOTO_SLEUTELS = ("foto", "foto_alt", "foto_bijschrift")
VOORWOORD_SLEUTELS = {"titel": True, "naam": True, "functie": True, "citaat": False}
VERHAAL_SLEUTELS = {"titel": True, "bij": True, "citaat": False}


class RedactieFout(ParameterFout):
    """One or more problems in the voorwoord or the stories, all listed at once."""

    def __init__(self, problemen: list[str]):
        self.problemen = problemen
        lines = "\n".join(f"  - {p}" for p in problemen)
        super().__init__(f"De teksten van het magazine (voorwoord en verhalen) kloppen niet:\n{lines}")


@dataclass(frozen=True)
class Foto:
    pad: Path
    alt: str
    bijschrift: str


@dataclass(frozen=True)
class Stuk:
    """The voorwoord or a story: its front matter and its Markdown body."""

    sleutel: str  # 'voorwoord', or the story's file name without .md (its anchor in the report)
    titel: str
    tekst: str
    citaat: str = ""
    foto: Foto | None = None
    bij: str = ""  # a story: the section after which it is printed
    naam: str = ""  # the voorwoord: who signs it, and their role
    functie: str = ""


@dataclass(frozen=True)
class Redactie:
    voorwoord: Stuk | None = None
    verhalen: tuple[Stuk, ...] = ()

    def bij(self, sectie: str) -> list[Stuk]:
        """The stories printed after this section."""
        return [v for v in self.verhalen if v.bij == sectie]


def map_van(gemeente: str, schooljaar: str) -> Path:
    return paths.PARAMS / gemeente / schooljaar


def bestanden(gemeente: str, schooljaar: str) -> list[Path]:
    """Every file of the content folder (texts and photos): inputs of the report."""
    folder = map_van(gemeente, schooljaar)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def plekken(hoofdstukken) -> dict[str, str]:
    """What `bij` may name (a section's key, or a chapter's title or anchor) -> the section after which it goes."""
    places = {}
    for title, keys in hoofdstukken:
        if keys:
            places[title] = places[anker(title)] = keys[-1]
        places.update({k: k for k in keys})
    return places


def controleer(gemeente: str, schooljaar: str) -> Redactie:
    """Read and check the content against the gemeente's report definition (before a build runs)."""

    if not map_van(gemeente, schooljaar).is_dir():
        return Redactie()
    return lees(gemeente, schooljaar, plekken(verslag(gemeente).hoofdstukken))


def lees(gemeente: str, schooljaar: str, waar: dict[str, str]) -> Redactie:
    """The voorwoord and stories of a report; raises RedactieFout naming every problem."""
    folder = map_van(gemeente, schooljaar)
    problems: list[str] = []
    voorwoord = None
    if (folder / VOORWOORD).exists():
        voorwoord = _stuk(folder / VOORWOORD, VOORWOORD_SLEUTELS, schooljaar, waar, problems)
    stories = [
        _stuk(path, VERHAAL_SLEUTELS, schooljaar, waar, problems) for path in sorted((folder / VERHALEN).glob("*.md"))
    ]
    if problems:
        raise RedactieFout(problems)
    return Redactie(voorwoord, tuple(stories))


def _stuk(path: Path, keys: dict[str, bool], schooljaar: str, waar: dict[str, str], problems: list[str]) -> Stuk | None:
    where = paths.relative(path)
    folder = path.parent.parent if keys is VERHAAL_SLEUTELS else path.parent
    found: list[str] = []
    front, body = _voorkant(path, found)
    if front is not None:
        _check_keys(front, keys, found)
        _check_texts(front, body, schooljaar, found)
        if "bij" in keys and "bij" in front and str(front["bij"]) not in waar:
            found.append(f"sleutel 'bij': '{kort(str(front['bij']), 60)}' is geen hoofdstuk of sectie van het verslag")
        if front.get("citaat") and not _geciteerd(str(front["citaat"]), body):
            found.append("sleutel 'citaat': het citaat staat niet letterlijk in de tekst")
        picture = _foto(path, front, found, folder)
    problems += [f"{where}, {p}" if p.startswith("sleutel") else f"{where}: {p}" for p in found]
    if found or front is None:
        return None
    text = {k: str(front.get(k, "")).strip() for k in ("titel", "citaat", "naam", "functie")}
    return Stuk(
        path.stem if keys is VERHAAL_SLEUTELS else "voorwoord",
        tekst=body,
        foto=picture,
        bij=waar.get(str(front.get("bij", "")), ""),
        **text,
    )


def _voorkant(path: Path, found: list[str]) -> tuple[dict | None, str]:
    """The front matter (a mapping) and the body of a content file."""
    try:
        raw = path.read_bytes()
    except OSError:
        found.append("het bestand kan niet gelezen worden")
        return None, ""
    if len(raw) > MAX_BYTES:
        found.append(f"het bestand is groter dan {MAX_BYTES // 1024} kB")
        return None, ""
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        found.append("het bestand is geen UTF-8-tekst; sla het op als UTF-8")
        return None, ""
    parts = text.split("\n---\n", 1) if text.startswith("---\n") else []
    if len(parts) != 2:
        found.append("het bestand begint niet met een kop tussen twee regels '---' (titel en de andere sleutels)")
        return None, ""
    try:
        front = laad(parts[0][4:])
    except (yaml.YAMLError, JaarverslagFout) as exc:
        found.append(f"de kop is geen geldige YAML ({kort(str(exc).splitlines()[0], 120)})")
        return None, ""
    if not isinstance(front, dict):
        found.append("de kop is geen lijst van sleutels met waarden")
        return None, ""
    return front, parts[1].strip()


def _geciteerd(citaat: str, body: str) -> bool:
    """Whether the quote occurs in the text as the reader sees it (its closing punctuation and
    quotation marks aside: a quote may end a sentence that goes on in the text)."""
    words = normalised(citaat).strip(" \"'“”‘’„.,;:!?")
    return bool(words) and words in normalised(body)


def _check_keys(front: dict, keys: dict[str, bool], found: list[str]) -> None:
    known = {*keys, *FOTO_SLEUTELS}
    for key in front:
        if key not in known:
            found.append(f"sleutel '{kort(str(key), 40)}': onbekend; toegestaan zijn {', '.join(sorted(known))}")
    for key, required in keys.items():
        if required and not str(front.get(key) or "").strip():
            found.append(f"sleutel '{key}': ontbreekt of is leeg")


def _check_texts(front: dict, body: str, schooljaar: str, found: list[str]) -> None:
    if not body:
        found.append("de tekst onder de kop is leeg")
    texts = {**{k: str(v) for k, v in front.items() if isinstance(v, str)}, "tekst": body}
    for key, text in texts.items():
        what = find_person_data(text, schooljaar)
        if what:
            where = "de tekst" if key == "tekst" else f"sleutel '{key}'"
            found.append(f"{where}: lijkt persoonsgegevens te bevatten ({what}); haal die weg")


def _foto(path: Path, front: dict, found: list[str], folder: Path) -> Foto | None:
    """The photo of a content file, named relative to that file; it must lie in the content folder."""
    if not front.get("foto"):
        if front.get("foto_alt") or front.get("foto_bijschrift"):
            found.append("sleutel 'foto': ontbreekt, terwijl foto_alt of foto_bijschrift gegeven is")
        return None
    picture = path.parent / str(front["foto"])
    if not str(front.get("foto_alt") or "").strip():
        found.append("sleutel 'foto_alt': een foto heeft een beschrijving nodig voor wie hem niet ziet")
    if not picture.resolve().is_relative_to(folder.resolve()):
        found.append("sleutel 'foto': de foto moet in de map van het verslag staan")
        return None
    problem = foto.probleem(picture)
    if problem:
        found.append(f"sleutel 'foto': {paths.relative(picture)} {problem}")
        return None
    return Foto(picture, str(front.get("foto_alt") or "").strip(), str(front.get("foto_bijschrift") or "").strip())
