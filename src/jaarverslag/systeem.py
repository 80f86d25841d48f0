"""What the project needs from the operating system, checked (and on Debian installed) by make.

Run by the system's python3 before the project environment exists, so it uses the
standard library only: `python3 src/jaarverslag/systeem.py verslag|test`. The one list
of system packages lives here; the Makefile and CI call this, nothing else names them.

- verslag: Pango (and HarfBuzz's subsetter) for WeasyPrint, and the DejaVu fonts.
- test: adds Chromium (accessibility test), poppler-utils (PDF pages as images, text) and
  LibreOffice Writer (the raadsmededeling's DOCX as a PDF).

Missing parts are installed with apt-get where that can be done without a password
(root, or sudo -n) on Debian or Ubuntu; otherwise the check stops with the exact
command for this system.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    """One thing the project needs from the system, and how each OS provides it."""

    name: str
    purpose: str
    apt: str
    brew: str
    libraries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    font: str | None = None

    def present(self) -> bool:
        return (
            all(_loads(lib) for lib in self.libraries)
            and all(shutil.which(p) for p in self.programs)
            and (self.font is None or _has_font(self.font))
        )


NEEDS = {
    "verslag": (
        Need(
            "Pango",
            "WeasyPrint (PDF)",
            "libpango-1.0-0 libpangoft2-1.0-0",
            "pango",
            libraries=("pango-1.0", "pangoft2-1.0"),
        ),
        Need(
            "HarfBuzz subset",
            "kleine, reproduceerbare lettertypen in de PDF",
            "libharfbuzz-subset0",
            "harfbuzz",
            libraries=("harfbuzz-subset",),
        ),
        Need(
            "DejaVu-lettertypen",
            "de letter van het verslag",
            "fonts-dejavu-core",
            "--cask font-dejavu",
            font="DejaVu Sans",
        ),
    ),
    "test": (
        Need("Chromium", "de toegankelijkheidstest (axe-core)", "chromium", "--cask chromium", programs=("chromium",)),
        Need(
            "poppler-utils",
            "PDF-pagina's als afbeelding en tekst",
            "poppler-utils",
            "poppler",
            programs=("pdftoppm", "pdftotext"),
        ),
        Need(
            "LibreOffice Writer",
            "de raadsmededeling (Word) als PDF, om haar tekst te controleren",
            "libreoffice-writer-nogui",
            "--cask libreoffice",
            programs=("soffice",),
        ),
    ),
}
LIBRARY_FILES = {"linux": ("lib{}.so.0",), "darwin": ("lib{}.0.dylib", "lib{}.dylib")}
MAC_LIBRARY_DIRS = ("/opt/homebrew/lib", "/usr/local/lib")  # Homebrew; the Makefile points WeasyPrint there


def _loads(library: str) -> bool:
    """True when the shared library loads under one of the names WeasyPrint tries."""
    system = "darwin" if sys.platform == "darwin" else "linux"
    names = [pattern.format(library) for pattern in LIBRARY_FILES[system]]
    folders = [""] + list(MAC_LIBRARY_DIRS if system == "darwin" else ())
    for candidate in (os.path.join(folder, name) for folder in folders for name in names):
        try:
            ctypes.CDLL(candidate)
            return True
        except OSError:
            continue
    return False


def _has_font(family: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    done = subprocess.run(["fc-list", family], capture_output=True, text=True, check=False)
    return bool(done.stdout.strip())


def needs_for(purpose: str) -> list[Need]:
    """What `make <purpose>` needs: a report's needs, and for tests those of a report too."""
    return list(NEEDS["verslag"]) + (list(NEEDS["test"]) if purpose == "test" else [])


def _debian_like() -> bool:
    try:
        with open("/etc/os-release", encoding="utf-8") as handle:
            text = handle.read().lower()
    except OSError:
        return False
    return any(
        f"{key}=debian" in text or f"{key}=ubuntu" in text or f'{key}="debian' in text for key in ("id", "id_like")
    )


def install_command(missing: list[Need], system: str, debian: bool) -> str:
    """The exact command that installs what is missing on this system."""
    if system == "darwin":
        formulas = [n.brew for n in missing if not n.brew.startswith("--cask")]
        casks = [n.brew.removeprefix("--cask ") for n in missing if n.brew.startswith("--cask")]
        parts = ([f"brew install {' '.join(formulas)}"] if formulas else []) + (
            [f"brew install --cask {' '.join(casks)}"] if casks else []
        )
        return " && ".join(parts)
    packages = " ".join(n.apt for n in missing)
    if debian:
        return f"sudo apt-get install -y --no-install-recommends {packages}"
    return f"installeer met de pakketbeheerder van dit systeem het equivalent van de Debian-pakketten: {packages}"


def _apt_prefix() -> list[str] | None:
    """How to run apt-get without a password here: as root, or with sudo -n; else None."""
    if not shutil.which("apt-get"):
        return None
    if os.geteuid() == 0:
        return []
    if (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    ):
        return ["sudo", "-n"]
    return None


def _apt_install(prefix: list[str], missing: list[Need]) -> bool:
    packages = " ".join(n.apt for n in missing).split()
    print(f"Systeempakketten installeren met apt-get: {' '.join(packages)}", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
    ):
        done = subprocess.run([*prefix, *command], env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr[-2000:], file=sys.stderr)
            return False
    return True


def ensure(purpose: str) -> int:
    """Check (and where possible install) what `purpose` needs; 0 when everything is there."""
    missing = [n for n in needs_for(purpose) if not n.present()]
    if not missing:
        return 0
    system, debian = ("darwin" if sys.platform == "darwin" else "linux"), _debian_like()
    prefix = _apt_prefix() if debian and system == "linux" else None
    if prefix is not None and _apt_install(prefix, missing):
        missing = [n for n in missing if not n.present()]
        if not missing:
            return 0
    names = ", ".join(f"{n.name} (voor {n.purpose})" for n in missing)
    print(
        f"Fout: dit systeem mist {names}.\nInstalleer het met:\n  {install_command(missing, system, debian)}\n"
        f"en start daarna opnieuw.",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in NEEDS:
        print(f"gebruik: python3 {os.path.relpath(__file__)} verslag|test", file=sys.stderr)
        return 2
    return ensure(argv[0])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
