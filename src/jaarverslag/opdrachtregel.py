"""The `jaarverslag` command's words: its subcommands, arguments and Dutch help (cli.py runs them)."""

from __future__ import annotations

import argparse

from jaarverslag.invoer.argumenten import datum as _datum
from jaarverslag.invoer.argumenten import positive_int as _positive_int


def _report_args(parser: argparse.ArgumentParser, optional: bool = True) -> None:
    nargs = "?" if optional else None
    parser.add_argument(
        "gemeente", nargs=nargs, help="map in data/ en params/ (standaard: de enige gemeente in params/)"
    )
    parser.add_argument(
        "schooljaar", nargs=nargs, help="bijvoorbeeld 2022-2023 (standaard: het laatste schooljaar in params/)"
    )


class DutchHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="gebruik: " if prefix is None else prefix)


def _dutch(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Dutch headings and a Dutch -h for a parser made with add_help=False."""
    parser._positionals.title = "argumenten"
    parser._optionals.title = "opties"
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    return parser


def parser() -> argparse.ArgumentParser:
    main = _dutch(
        argparse.ArgumentParser(
            prog="jaarverslag",
            description="Maak het jaarverslag leerplicht en Doorstroompunt voor een gemeente en een schooljaar.",
            formatter_class=DutchHelp,
            add_help=False,
        )
    )
    main.add_argument("--verbose", action="store_true", help="toon bij een fout de volledige traceback")
    sub = main.add_subparsers(dest="opdracht", required=True, metavar="opdracht", title="opdrachten")
    add = sub.add_parser

    def sub_parser(name: str, **kwargs) -> argparse.ArgumentParser:
        return _dutch(add(name, formatter_class=DutchHelp, add_help=False, description=kwargs.get("help"), **kwargs))

    sub.add_parser = sub_parser

    build = sub.add_parser("build", help="controleer de gegevens en maak het verslag (ipynb, HTML, PDF, Excel)")
    _report_args(build)
    build.add_argument("--alle", action="store_true", help="maak alle verslagen waarvoor een parameterbestand is")
    build.add_argument("--werkers", type=int, default=1, help="met --alle: zoveel verslagen tegelijk (standaard 1)")
    build.add_argument("--opnieuw", action="store_true", help="maak het verslag ook als het al actueel is")
    build.add_argument("--stil", action="store_true", help="geen voortgangsregels")
    build.add_argument(
        "--tijdslimiet",
        type=_positive_int,
        default=None,
        metavar="SECONDEN",
        help="stop als een notebookcel langer duurt dan dit (standaard 300)",
    )

    validate = sub.add_parser("validate", help="controleer alleen de invoergegevens (Great Expectations)")
    _report_args(validate)

    verify = sub.add_parser("verify", help="controleer een verslag tegen zijn manifest en de huidige invoer")
    _report_args(verify)
    verify.add_argument(
        "--duo",
        nargs="+",
        metavar="BESTAND",
        help="tel ook de cijfers uit deze DUO-bestanden opnieuw en vergelijk ze met de gegevens",
    )

    new = sub.add_parser(
        "nieuw-schooljaar",
        help="maak het parameterbestand en een invulwerkmap (xlsx) voor een nieuw schooljaar en toon wat er nog ontbreekt",
    )
    _report_args(new, optional=False)

    gemeente = sub.add_parser(
        "nieuwe-gemeente",
        help="zet een nieuwe gemeente op: lege tabellen, verslagdefinitie, parameterbestand en één invulwerkmap",
    )
    gemeente.add_argument("map", help="de mapnaam in data/ en params/, bijvoorbeeld zandhoven")
    gemeente.add_argument(
        "--naam", required=True, help='de naam zoals die in het verslag staat, bijvoorbeeld "Zandhoven"'
    )
    gemeente.add_argument(
        "--secties",
        type=lambda text: text.split(","),
        help="de secties van het verslag, met komma's (standaard alle): bijvoorbeeld leerplichtigen,wettelijk_verzuim,vsv",
    )
    gemeente.add_argument("--vanaf", help="het eerste schooljaar van de werkmap (standaard: vijf jaar terug)")
    gemeente.add_argument("--tot", help="het schooljaar van het eerste verslag (standaard: het laatst afgelopen)")

    book = sub.add_parser(
        "werkmap",
        help="maak een invulwerkmap voor een schooljaar waarvoor al parameters zijn: ontbrekende en voorlopige cijfers",
    )
    _report_args(book, optional=False)

    read = sub.add_parser("inlezen", help="lees een ingevulde invulwerkmap in: eerst controleren, dan alles of niets")
    read.add_argument(
        "bestand",
        help="de ingevulde werkmap, zoals nieuw-schooljaar die maakte: invullen/invullen-GEMEENTE-SCHOOLJAAR.xlsx",
    )
    read.add_argument("--overschrijven", action="store_true", help="vervang cijfers die al in de gegevens staan")
    read.add_argument("--proef", action="store_true", help="controleer en toon de wijzigingen, maar schrijf niets")

    sub.add_parser(
        "opruimen", help="verwijder wat builds achterlaten (mislukt, tijdelijke mappen, sloten); uitgaven blijven"
    )
    remove = sub.add_parser(
        "uitgave-verwijderen",
        help="verwijder één uitgave van een verslag (alleen met --ja; zonder: toon wat weg zou gaan)",
    )
    _report_args(remove, optional=False)
    remove.add_argument("datum", type=_datum, help="de datum van de uitgave, JJJJ-MM-DD (zie uitgaven/ of make lijst)")
    remove.add_argument("--ja", action="store_true", help="verwijder de uitgave echt")

    view = sub.add_parser("bekijk", help="meekijken tijdens het schrijven: het verslag op http://127.0.0.1:<poort>/")
    _report_args(view)
    view.add_argument("--poort", type=int, default=8000, help="de poort op 127.0.0.1 (standaard 8000; 0: een vrije)")

    duo = sub.add_parser(
        "duo",
        help="tel de vsv-cijfers uit de DUO-bestanden (NRSP en NenR) en schrijf ze in de tabellen; niets persoonlijks "
        "wordt bewaard",
    )
    duo.add_argument("gemeente", help="map in data/ (of een regio in params/: dan elke gemeente van de regio)")
    duo.add_argument("bestanden", nargs="+", metavar="bestand", help="de DUO-bestanden, buiten de projectmap")
    duo.add_argument(
        "--soort", choices=["NRSP", "NenR"], help="als de naam niet die van DUO is (anders: uit de kolommen)"
    )
    duo.add_argument(
        "--schooljaar", dest="teljaar", help="als de naam niet die van DUO is: het teljaar, bijv. 2022-2023"
    )
    duo.add_argument("--status", choices=["voorlopig", "definitief"], help="als de naam niet die van DUO is")
    duo.add_argument(
        "--overschrijven", action="store_true", help="vervang definitieve cijfers die al in de gegevens staan"
    )
    duo.add_argument("--proef", action="store_true", help="tel, controleer en toon de wijzigingen, maar schrijf niets")

    sub.add_parser("lijst", help="toon welke verslagen gemaakt kunnen worden en hoe het ermee staat")
    sub.add_parser("suites", help="maak de controles van elke tabel opnieuw uit data/schema.yaml (na een nieuwe tabel)")
    return main
