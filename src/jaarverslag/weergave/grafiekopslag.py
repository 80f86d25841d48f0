"""Charts drawn once per distinct input, kept by the build's kernel under
reports/.grafieken/<gemeente>/<schooljaar>/.

A chart's SVG depends only on the chart function, its arguments, the accent colour and the code
and packages that draw it (tekenen.py, kleuren.py, formatting.py, requirements.lock and the
installed matplotlib, seaborn and pandas): matplotlib writes it without dates or random ids. So
it is kept, named by a sha256 over exactly those, and a later build of the report with the same
figures takes the kept bytes. After a text edit every chart is found and the kernel does not
import matplotlib and seaborn at all.

The kept SVGs hold what the public report shows, nothing more, and only what its last build
showed: a build touches every chart it uses, and after it the others are removed (`opruimen`),
so a figure hidden since (kleine_aantallen) does not stay behind; a build that stops keeps none of
the charts it added (`vergeten`), such as those its kernel drew ahead of data that then failed
validation. Only a build keeps charts there (it names its folder in the environment of the kernel
it starts, `bewaard`); the live preview keeps them in its own temporary folder, and the notebook
run by hand draws them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path

from jaarverslag import paths
from jaarverslag.weergave import kleuren

MAP = ".grafieken"
VARIABELE = "JAARVERSLAG_GRAFIEKEN"  # the folder of kept charts, set by the build for its kernel
HIER = Path(__file__).parent
CODE = (HIER / "tekenen.py", HIER / "kleuren.py", HIER.parent / "formatting.py")
PAKKETTEN = ("matplotlib", "seaborn", "pandas")
GRAFIEKEN = ("bars", "lines", "stacked_bars", "lines_per_group", "horizontal_bars")
EINDE = b"</svg>\n"  # how matplotlib ends an SVG: a kept file without it is cut short


def map_van(gemeente: str, schooljaar: str) -> Path:
    return paths.REPORTS / MAP / gemeente / schooljaar


def bewaard(folder: Path):
    """Keep charts in `folder` in this process and in the kernel it starts, while the block runs."""
    return paths.in_omgeving(VARIABELE, str(folder))


def opruimen(folder: Path, sinds: float) -> None:
    """Remove the kept charts that no build used since `sinds` (a time.time())."""
    for path in folder.glob("*.svg") if folder.is_dir() else ():
        with suppress(OSError):
            if path.stat().st_mtime < sinds:
                path.unlink()


def inhoud(folder: Path) -> set[str]:
    """The names of the files in the store now."""
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def vergeten(folder: Path, inhoud_ervoor: set[str]) -> None:
    """Remove what was added since `inhoud_ervoor`: a build that stops keeps nothing it drew, such as
    the charts its kernel drew ahead of data that then failed validation (or a part file of one)."""
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.name not in inhoud_ervoor:
            with suppress(OSError):
                path.unlink()


class Tekenaar:
    """The chart functions of tekenen.py, each through the store; and the house colour and the
    words of the marks, which need no drawing library."""

    huiskleur = staticmethod(kleuren.huiskleur)
    alt_voorlopig = staticmethod(kleuren.alt_voorlopig)

    def __getattr__(self, naam: str):
        if naam not in GRAFIEKEN:
            raise AttributeError(naam)
        return lambda *args, **kwargs: getekend(naam, args, kwargs)


def getekend(naam: str, args: tuple, kwargs: dict) -> bytes:
    """The SVG of chart `naam` with these arguments: kept, or drawn now (and kept, in a build)."""
    folder = os.environ.get(VARIABELE)
    target = Path(folder) / f"{sleutel(naam, args, kwargs)}.svg" if folder else None
    kept = _gelezen(target) if target is not None else None
    if kept is not None:
        return kept
    from jaarverslag.weergave import tekenen  # start-up: matplotlib only when a chart is drawn

    svg = getattr(tekenen, naam)(*args, **kwargs)
    if target is not None:
        _bewaar(target, svg)
    return svg


def _gelezen(target: Path) -> bytes | None:
    """A kept chart, touched so that `opruimen` keeps it; None when it is not there or cut short."""
    try:
        svg = target.read_bytes()
        os.utime(target)
    except OSError:
        return None
    return svg if svg.endswith(EINDE) else None


def sleutel(naam: str, args: tuple, kwargs: dict) -> str:
    digest = hashlib.sha256()
    for path in (*CODE, paths.ROOT / "requirements.lock"):
        digest.update(_code(path))
    digest.update(repr((naam, vorm(args), vorm(kwargs), kleuren.palet(1), _versies())).encode())
    return digest.hexdigest()


def vorm(value):
    """A value as plain Python that says all a chart reads from it: a frame by its CSV and types."""
    if hasattr(value, "columns"):  # a DataFrame
        return ("tabel", value.to_csv(), tuple(str(t) for t in value.dtypes))
    if hasattr(value, "to_csv"):  # a Series
        return ("reeks", value.to_csv(), str(value.dtype))
    if isinstance(value, dict):
        return ("dict", tuple((vorm(k), vorm(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(vorm(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(v) for v in value)))
    return repr(value)


@cache
def _code(path: Path) -> bytes:
    """A code file's sha256, read once per process."""
    return paths.sha256(path).encode() if path.exists() else b""


@cache
def _versies() -> tuple[str, ...]:
    """The installed versions of the drawing packages, looked up once per process."""
    return tuple(_versie(name) for name in PAKKETTEN)


def _versie(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _bewaar(target: Path, svg: bytes) -> None:
    """Keep a drawn chart; a reader never sees half a file (each writer has its own part file), and a
    store that cannot be written is skipped."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, part = tempfile.mkstemp(dir=target.parent, prefix=target.stem, suffix=".deel")
        with os.fdopen(handle, "wb") as out:
            out.write(svg)
        os.replace(part, target)
    except OSError:
        pass
