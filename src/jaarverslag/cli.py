"""The `jaarverslag` command: a thin Dutch layer over the package's functions."""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from . import paths
from .errors import JaarverslagFout

STANDAARD_GEMEENTE = "deventer"
STANDAARD_SCHOOLJAAR = "2022-2023"


def _report_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "gemeente", nargs="?", default=STANDAARD_GEMEENTE, help="map in data/ en params/ (standaard: %(default)s)"
    )
    parser.add_argument(
        "schooljaar", nargs="?", default=STANDAARD_SCHOOLJAAR, help="bijvoorbeeld 2022-2023 (standaard: %(default)s)"
    )


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="jaarverslag",
        description="Maak het jaarverslag leerplicht en Doorstroompunt voor één gemeente en één schooljaar.",
    )
    main.add_argument("--verbose", action="store_true", help="toon bij een fout de volledige traceback")
    sub = main.add_subparsers(dest="opdracht", required=True, metavar="opdracht")
    build = sub.add_parser("build", help="controleer de gegevens en maak het verslag (ipynb, HTML, PDF)")
    _report_args(build)
    build.add_argument("--stil", action="store_true", help="geen voortgangsregels")
    validate = sub.add_parser("validate", help="controleer alleen de invoergegevens (Great Expectations)")
    _report_args(validate)
    return main


def _build(args) -> int:
    from .build import build

    stil = args.stil or bool(os.environ.get("CI"))
    if not stil:
        print(f"Verslag {args.gemeente} {args.schooljaar} maken:", file=sys.stderr)
    folder = build(args.gemeente, args.schooljaar, progress=sys.stderr.isatty() and not stil, stil=stil)
    print(f"Klaar: {paths.relative(folder)}/jaarverslag.pdf")
    return 0


def _validate(args) -> int:
    from .build import check_inputs

    _, _, summary = check_inputs(args.gemeente, args.schooljaar)
    print(
        f"Geen blokkerende fouten in de gegevens van {args.gemeente} {args.schooljaar} "
        f"({summary['aantal_controles']} controles, {len(summary['waarschuwingen'])} waarschuwing(en))."
    )
    for finding in summary["waarschuwingen"]:
        print(
            f"  waarschuwing: {finding['tabel']}, schooljaar {finding['schooljaar']}: {finding['regel']} ({finding['gevonden']})"
        )
    return 0


COMMANDS = {"build": _build, "validate": _validate}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.opdracht](args)
    except JaarverslagFout as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Afgebroken.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
