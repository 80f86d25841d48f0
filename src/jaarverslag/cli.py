"""The `jaarverslag` command: a thin Dutch layer over the package's functions."""

from __future__ import annotations

import atexit
import os
import sys
import threading
import traceback
from pathlib import Path

from jaarverslag import interrupt, paths
from jaarverslag.bouw.opruimen import kies_uitgave, opruimen, verslag_opruiming, verwijder_uitgave
from jaarverslag.errors import JaarverslagFout, ParameterFout, omgevingsfout, onverwacht
from jaarverslag.opdrachtregel import parser


def _quiet(args) -> bool:
    return getattr(args, "stil", False) or bool(os.environ.get("CI")) or not sys.stderr.isatty()


def _build(args) -> int:
    from jaarverslag.spoor.manifest import is_current, report_dir  # start-up: pandas only here

    if not args.alle and not args.opnieuw and is_current(args.gemeente, args.schooljaar):
        print(f"Actueel, niets te doen: {paths.relative(report_dir(args.gemeente, args.schooljaar))}/jaarverslag.pdf")
        return 0
    from jaarverslag.bouw.build import build, build_all  # start-up: pandas only here

    if args.alle:
        return _report_batch(build_all(werkers=args.werkers, opnieuw=args.opnieuw))
    stil = args.stil or bool(os.environ.get("CI"))
    if not stil:
        print(f"Verslag {args.gemeente} {args.schooljaar} maken:", file=sys.stderr)
    limit = {"tijdslimiet": args.tijdslimiet} if args.tijdslimiet else {}
    folder = build(args.gemeente, args.schooljaar, progress=not _quiet(args), stil=stil, opnieuw=args.opnieuw, **limit)
    print(f"Klaar: {paths.relative(folder)}/jaarverslag.pdf")
    return 0


def _report_batch(results: list[tuple[str, str, str | None]]) -> int:
    failed = [(g, s, why) for g, s, why in results if why]
    for gemeente, schooljaar, why in results:
        print(f"  {'MISLUKT' if why else 'klaar  '} {gemeente} {schooljaar}")
    print(f"{len(results) - len(failed)} van {len(results)} verslagen klaar.")
    for gemeente, schooljaar, why in failed:
        print(f"\n{gemeente} {schooljaar} mislukte:\n{why}", file=sys.stderr)
    return 1 if failed else 0


MAX_WARNINGS = 20


def _validate(args) -> int:
    from jaarverslag.bouw.build import check_inputs  # start-up: pandas only here

    _, _, summary = check_inputs(args.gemeente, args.schooljaar)
    print(
        f"Geen blokkerende fouten in de gegevens van {args.gemeente} {args.schooljaar} "
        f"({summary['aantal_controles']} controles, {len(summary['waarschuwingen'])} waarschuwing(en))."
    )
    warnings = summary["waarschuwingen"]
    for f in warnings[:MAX_WARNINGS]:
        print(f"  waarschuwing: {f['titel']}, schooljaar {f['schooljaar']}: {f['regel']} ({f['gevonden']})")
    if len(warnings) > MAX_WARNINGS:
        print(
            f"  en {len(warnings) - MAX_WARNINGS} waarschuwing(en) meer: zie accountant/validatie.html bij het verslag."
        )
    return 0


def _verify(args) -> int:
    from jaarverslag.spoor.manifest import report_dir, verify  # start-up: pandas only here

    folder = report_dir(args.gemeente, args.schooljaar)
    differences = verify(folder)
    if args.duo:
        from jaarverslag.nieuwjaar.duo import hertel  # start-up: pandas only here

        checked, found = hertel(args.gemeente, args.schooljaar, [Path(b) for b in args.duo])
        differences += found
        if not found:
            print(f"{checked} tellingen uit de DUO-bestanden kloppen met de gegevens.")
    if not differences:
        print(f"{paths.relative(folder)} klopt met accountant/manifest.json en met de huidige invoer.")
        return 0
    print(f"{paths.relative(folder)} klopt niet:", file=sys.stderr)
    for line in differences:
        print(f"  - {line}", file=sys.stderr)
    return 1


def _new_year(args) -> int:
    from jaarverslag.invoer.checklist import format_checklist  # start-up: pandas only here
    from jaarverslag.invoer.params import regio_leden  # start-up: pandas only here
    from jaarverslag.nieuwjaar.invulwerkmap import make_workbook  # start-up: pandas only here
    from jaarverslag.nieuwjaar.nieuw_schooljaar import new_school_year  # start-up: pandas only here

    target, missing = new_school_year(args.gemeente, args.schooljaar)
    print(f"Gemaakt: {paths.relative(target)}")
    if missing and regio_leden(args.gemeente, target.stem):  # a region: each gemeente fills in its own data
        print(format_checklist(args.gemeente, target.stem, missing))
        print(
            "Elke gemeente vult haar eigen gegevens aan, bijvoorbeeld met: jaarverslag nieuw-schooljaar <gemeente> "
            f"{target.stem}. Daarna: jaarverslag build {args.gemeente} {target.stem}"
        )
    elif missing:
        workbook = paths.relative(make_workbook(args.gemeente, target.stem))
        print(format_checklist(args.gemeente, target.stem, missing))
        print(f"Vul de ontbrekende cijfers in {workbook} in (Excel) en lees ze in met: jaarverslag inlezen {workbook}")
        print(f"Daarna: jaarverslag build {args.gemeente} {target.stem}")
    else:
        print(f"Alle gegevens zijn er. Maak het verslag met: jaarverslag build {args.gemeente} {target.stem}")
    return 0


def _new_gemeente(args) -> int:
    from jaarverslag.nieuwjaar.nieuwe_gemeente import maak  # start-up: pandas only here

    opzet = maak(args.map, args.naam, args.secties, args.vanaf, args.tot)
    first, last = opzet.schooljaren[0], opzet.schooljaren[-1]
    workbook, params = paths.relative(opzet.werkmap), paths.relative(opzet.params)
    print(f"Gemeente {opzet.naam} is opgezet:")
    tabellen = "1 lege tabel" if len(opzet.tabellen) == 1 else f"{len(opzet.tabellen)} lege tabellen"
    print(f"  {paths.relative(opzet.definitie.parent)}/: {tabellen} (alleen de kopregel)")
    print(f"  {paths.relative(opzet.definitie)}: de hoofdstukken en secties van het verslag")
    print(f"  {params}: de parameters van het eerste verslag")
    print(f"  {workbook}: de invulwerkmap voor {first} tot en met {last}")
    print("Zo ga je verder:")
    print(f"  1. Vul de werkmap in (Excel) en lees hem in: jaarverslag inlezen {workbook}")
    print(f"  2. Vul in {params} de regels met VUL IN in en controleer die met CONTROLEER.")
    print(
        f"  3. Een eigen tabel? Beschrijf haar in data/{opzet.map}/schema.yaml (zie de README, 'Een andere gemeente')."
    )
    print(f"  4. Maak het verslag: jaarverslag build {opzet.map} {last}")
    return 0


def _workbook(args) -> int:
    from jaarverslag.invoer.checklist import checklist  # start-up: pandas only here
    from jaarverslag.nieuwjaar.invulwerkmap import make_workbook, werkmap_pad  # start-up: pandas only here

    existing = werkmap_pad(args.gemeente, args.schooljaar)
    if existing.exists():  # it may hold figures typed in and not read in yet
        raise ParameterFout(
            f"{paths.relative(existing)} bestaat al en kan ingevulde cijfers bevatten. Lees hem in met "
            f"jaarverslag inlezen {paths.relative(existing)}, of verwijder hem voor een nieuwe werkmap."
        )
    workbook = paths.relative(make_workbook(args.gemeente, args.schooljaar))
    missing = checklist(args.gemeente, args.schooljaar)
    print(f"Gemaakt: {workbook}: de ontbrekende cijfers ({len(missing)} tabel(len)) en de voorlopige cijfers.")
    print(f"Vul het in (Excel) en lees het in met: jaarverslag inlezen {workbook}")
    return 0


def _read_in(args) -> int:
    from jaarverslag.nieuwjaar.inlezen import read_workbook  # start-up: pandas only here

    result = read_workbook(Path(args.bestand), overschrijven=args.overschrijven, schrijven=not args.proef)
    return _show_changes(result, args.proef)


def _show_changes(result, proef: bool) -> int:
    """What reading in (a workbook or DUO's files) changed or would change, and the warnings."""
    for warning in result.waarschuwingen:
        print(f"Let op: {warning}", file=sys.stderr)
    if not result.wijzigingen:
        print("Niets te doen: de gegevens bevatten deze cijfers al.")
        return 0
    print("Wijzigingen (tabel, rij, kolom: oud → nieuw; een herziening vervangt een voorlopig cijfer):")
    for change in result.wijzigingen:
        print(f"  {change}")
    print("Proef: er is niets geschreven." if proef else f"Geschreven: {', '.join(result.bestanden)}")
    return 0


def _duo(args) -> int:
    from jaarverslag.invoer.params import check_schooljaar  # start-up: pandas only here
    from jaarverslag.nieuwjaar.duo import importeer  # start-up: pandas only here

    opgegeven = {
        "soort": args.soort,
        "schooljaar": check_schooljaar(args.teljaar) if args.teljaar else None,
        "status": args.status,
    }
    result = importeer(
        args.gemeente, [Path(b) for b in args.bestanden], opgegeven, args.overschrijven, schrijven=not args.proef
    )
    return _show_changes(result, args.proef)


def _list(args) -> int:
    from jaarverslag.invoer.params import all_reports  # start-up: pandas only here
    from jaarverslag.spoor.manifest import is_current, report_dir, status  # start-up: pandas only here

    print(f"{'gemeente':<20} {'schooljaar':<11} {'status':<12} stand")
    for gemeente, schooljaar in all_reports():
        folder = report_dir(gemeente, schooljaar)
        if folder.with_name(f"{schooljaar}.mislukt").exists():
            state = "mislukt (zie " + paths.relative(folder.with_name(f"{schooljaar}.mislukt")) + ")"
        elif not folder.exists():
            state = "nog niet gemaakt"
        else:
            state = "actueel" if is_current(gemeente, schooljaar) else "verouderd: invoer of uitvoer gewijzigd"
        print(f"{gemeente:<20} {schooljaar:<11} {status(folder):<12} {state}")
    return 0


def _tidy(args) -> int:
    for line in verslag_opruiming(opruimen()) or ["Niets op te ruimen in reports/."]:
        print(line)
    return 0


def _remove_edition(args) -> int:
    from jaarverslag.spoor.manifest import report_dir  # start-up: pandas only here

    report, what = report_dir(args.gemeente, args.schooljaar), f"{args.gemeente} {args.schooljaar}"
    if not args.ja:
        chosen = kies_uitgave(report, args.datum)
        print(f"Zou verwijderen: {chosen.beschrijving()}. Er is niets verwijderd.", file=sys.stderr)
        if chosen.gevolg(report):
            print(chosen.gevolg(report), file=sys.stderr)
        command = f"jaarverslag uitgave-verwijderen {what} {args.datum} --ja"
        print(f"Echt verwijderen: {command}", file=sys.stderr)
        return 1
    chosen = verwijder_uitgave(report, args.datum, what)
    print(f"Verwijderd: {chosen.beschrijving()}.")
    return 0


def _suites(args) -> int:
    from jaarverslag.controle.suites import write_suites  # start-up: pandas only here

    written = write_suites()
    print(f"{len(written)} suites geschreven uit {paths.relative(paths.SCHEMA_FILE)}: {', '.join(written)}")
    return 0


def _view(args) -> int:
    from jaarverslag.bouw.bekijk import bekijk  # start-up: pandas only here

    return bekijk(args.gemeente, args.schooljaar, args.poort)


COMMANDS = {
    "bekijk": _view,
    "build": _build,
    "validate": _validate,
    "verify": _verify,
    "nieuw-schooljaar": _new_year,
    "nieuwe-gemeente": _new_gemeente,
    "werkmap": _workbook,
    "inlezen": _read_in,
    "duo": _duo,
    "lijst": _list,
    "opruimen": _tidy,
    "uitgave-verwijderen": _remove_edition,
    "suites": _suites,
}


def _resolve_report(args) -> None:
    if args.opdracht == "opruimen":
        return  # make clean runs it without the environment: no pydantic or pandas here
    from jaarverslag.invoer.params import (  # start-up: pandas only here
        check_names,
        check_schooljaar_argument,
        default_report,
    )

    if getattr(args, "schooljaar", None):
        check_schooljaar_argument(args.schooljaar)
    if args.opdracht == "nieuw-schooljaar":
        args.gemeente, args.schooljaar = check_names(args.gemeente, args.schooljaar)
    elif hasattr(args, "schooljaar"):
        args.gemeente, args.schooljaar = default_report(args.gemeente, args.schooljaar)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    with interrupt.installed():
        return _run(args)


def _run(args) -> int:
    """One command; every failure an analyst can meet ends in a short Dutch message."""
    try:
        _resolve_report(args)
        return COMMANDS[args.opdracht](args)
    except (JaarverslagFout, OSError) as exc:
        if args.verbose:
            traceback.print_exc()
        if isinstance(exc, OSError):
            exc = omgevingsfout(exc, f"De opdracht '{args.opdracht}'")
        print(f"Fout: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, interrupt.Afgebroken):
        print("Afgebroken; het vorige verslag is niet aangeraakt.", file=sys.stderr)
        return 130
    except Exception:
        if args.verbose:
            traceback.print_exc()
        print(f"Fout: {onverwacht(f'De opdracht {args.opdracht!r} mislukte')}", file=sys.stderr)
        return 1


def run() -> None:
    """The command itself (pyproject's entry point, and `python -m jaarverslag.cli`): main(), then
    leave without taking the interpreter apart.

    After a build the process holds some 250.000 Python objects (pandas, nbconvert, WeasyPrint), and
    freeing them one by one at exit took 0,6 s of every build, after every file was written, closed and
    published. What must happen at exit still happens: the exit handlers that the program and its
    libraries registered run (multiprocessing's children, logging, temporary folders), and what was
    printed is flushed. It goes in Python's own order (Py_FinalizeEx): threading's shutdown, which
    stops thread pools and waits for threads that are no daemon, then the exit handlers. An exit code
    that main() does not reach (--help, a wrong argument) leaves as usual.
    """
    code = main()
    threading._shutdown()  # as Python's own exit: the threads' exit hooks (thread pools), then every non-daemon thread
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None or stream.closed:  # started without it (`>&-`), or closed: nothing to write
            continue
        try:
            stream.flush()
        except OSError:  # a closed pipe or a full disk: Python's own exit would say 120
            code = code or 120
    os._exit(code)


if __name__ == "__main__":
    run()
