"""Charts drawn once per distinct input, kept under reports/.grafieken/ by the build's kernel.

A chart's SVG depends only on the chart function, its arguments, the accent colour and the code
and packages that draw it (tekenen.py, kleuren.py, requirements.lock): matplotlib writes it
without dates or random ids. So it is kept, named by a sha256 over exactly those, and a later
build with the same figures takes the kept bytes. After a text edit every chart is found and
the kernel does not import matplotlib and seaborn at all. The kept SVGs hold what the public
report shows, nothing more. Only a build keeps charts (it names the folder in the environment of
the kernel it starts, `bewaard`); the notebook run by hand and the live preview draw them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jaarverslag import paths
from jaarverslag.weergave import kleuren

MAP = ".grafieken"
VARIABELE = "JAARVERSLAG_GRAFIEKEN"  # the folder of kept charts, set by the build for its kernel


@contextmanager
def bewaard(folder: Path) -> Iterator[None]:
    """Keep charts in `folder` in this process and in the kernel it starts, while the block runs."""
    before = os.environ.get(VARIABELE)
    os.environ[VARIABELE] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(VARIABELE, None)
        else:
            os.environ[VARIABELE] = before


HIER = Path(__file__).parent
GRAFIEKEN = ("bars", "lines", "stacked_bars", "lines_per_group", "horizontal_bars")


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
    if target is not None and target.is_file():
        return target.read_bytes()
    from jaarverslag.weergave import tekenen  # start-up: matplotlib only when a chart is drawn

    svg = getattr(tekenen, naam)(*args, **kwargs)
    if target is not None:
        _bewaar(target, svg)
    return svg


def sleutel(naam: str, args: tuple, kwargs: dict) -> str:
    digest = hashlib.sha256()
    for path in (HIER / "tekenen.py", HIER / "kleuren.py", paths.ROOT / "requirements.lock"):
        digest.update(_code(path))
    digest.update(repr((naam, vorm(args), vorm(kwargs), kleuren.palet(1))).encode())
    return digest.hexdigest()


def vorm(value):
    """A value as plain Python that says all a chart reads from it: a frame by its CSV and types."""
    if hasattr(value, "to_csv"):
        types = value.dtypes if hasattr(value, "dtypes") else [value.dtype]
        return ("tabel", value.to_csv(), tuple(str(t) for t in types))
    if isinstance(value, dict):
        return ("dict", tuple((vorm(k), vorm(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(vorm(v) for v in value))
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(v) for v in value)))
    return repr(value)


_CODE: dict[Path, bytes] = {}


def _code(path: Path) -> bytes:
    """A code file's sha256, read once per process."""
    if path not in _CODE:
        _CODE[path] = hashlib.sha256(path.read_bytes() if path.exists() else b"").digest()
    return _CODE[path]


def _bewaar(target: Path, svg: bytes) -> None:
    """Keep a drawn chart; a reader never sees half a file, and a store that cannot be written is skipped."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(".deel")
        part.write_bytes(svg)
        part.replace(target)
    except OSError:
        pass
