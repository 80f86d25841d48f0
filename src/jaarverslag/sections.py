"""What the report shows: chapters and sections, each a table of the data with its chart.

This is generic for every gemeente: names, years and texts come from data and params.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    key: str
    hoofdstuk: str
    titel: str
    tabel: str
    kolommen: dict[str, str]  # column -> Dutch label (table header and legend)
    soort: str = "tijdreeks"  # tijdreeks | per_groep | verdeling | uitsplitsing
    grafiek: str = "staaf"  # staaf | lijn | liggend
    grafiek_kolommen: tuple[str, ...] = ()  # default: all kolommen
    groep: str | None = None  # category column for per_groep / verdeling
    groep_labels: dict[str, str] = field(default_factory=dict)
    grafiek_labels: dict[str, str] = field(default_factory=dict)  # legend labels; {gemeente} is filled in
    eenheid: str = "aantal"  # y-axis label
    uitleg: str = ""


LEERPLICHT = "Leerplicht"
DOORSTROOMPUNT = "Doorstroompunt"
HOOFDSTUKKEN = (LEERPLICHT, DOORSTROOMPUNT)
ONDERWIJSSOORTEN = {"vo": "Voortgezet onderwijs", "mbo": "Mbo", "vavo": "Vavo"}
PERCENTAGES = {"percentage_vsv": "Percentage", "percentage_vsv_landelijk": "Percentage landelijk"}
GEMEENTE_LANDELIJK = {"percentage_vsv": "{gemeente}", "percentage_vsv_landelijk": "Nederland"}

SECTIONS: tuple[Section, ...] = (
    Section(
        "leerplichtigen",
        LEERPLICHT,
        "Leerplichtige en kwalificatieplichtige leerlingen",
        "leerplichtigen",
        {"leerplichtigen": "Aantal leerlingen (5-18 jaar)"},
        eenheid="leerlingen",
        uitleg="Alle kinderen en jongeren van 5 tot 18 jaar die leerplichtig of kwalificatieplichtig zijn.",
    ),
    Section(
        "betrokkenheid",
        LEERPLICHT,
        "Betrokkenheid leerplicht",
        "betrokkenheid",
        {"percentage_betrokkenheid": "% betrokkenheid leerplicht"},
        grafiek="lijn",
        eenheid="procent",
        uitleg="Het deel van alle leer- en kwalificatieplichtigen waarbij een leerplichtambtenaar betrokken was.",
    ),
    Section(
        "bas_gesprekken",
        LEERPLICHT,
        "Preventieve verzuimgesprekken (BAS)",
        "bas_gesprekken",
        {"bas_gesprekken": "BAS-gesprekken"},
        eenheid="gesprekken",
        uitleg="Gesprekken 'Bewust Aanwezig op School' over beginnend verzuim in het voortgezet onderwijs.",
    ),
    Section(
        "wettelijk_verzuim",
        LEERPLICHT,
        "Wettelijk verzuim",
        "wettelijk_verzuim",
        {"wettelijk_verzuim": "Wettelijk verzuim", "herhaald_wettelijk_verzuim": "Waarvan herhaald wettelijk verzuim"},
        eenheid="meldingen",
        uitleg="Meldingen van leerlingen die in vier weken zestien les- of praktijkuren zonder geldige reden afwezig waren.",
    ),
    Section(
        "overig_verzuim",
        LEERPLICHT,
        "Langdurig relatief, luxe en absoluut verzuim",
        "overig_verzuim",
        {
            "langdurig_relatief_verzuim": "Langdurig relatief verzuim",
            "luxe_verzuim": "Luxe verzuim",
            "absoluut_verzuim": "Absoluut verzuim",
            "absoluut_verzuim_na_analyse": "Absoluut verzuim na analyse",
        },
        grafiek_kolommen=("langdurig_relatief_verzuim", "luxe_verzuim", "absoluut_verzuim"),
        eenheid="meldingen",
        uitleg=(
            "Langdurig relatief verzuim: ingeschreven en langer dan vier weken zonder geldige reden afwezig. "
            "Luxe verzuim: vakantie buiten de schoolvakanties zonder toestemming. "
            "Absoluut verzuim: leerplichtig maar niet op een school ingeschreven."
        ),
    ),
    Section(
        "verzuim_per_1000",
        LEERPLICHT,
        "Verzuim per 1.000 leerplichtigen",
        "verzuim_per_1000",
        {  # the labels follow indicators.PER_1000: the official name only for an official figure
            "absoluut_per_1000": "Meldingen absoluut verzuim per 1.000 leerplichtigen",
            "absoluut_na_analyse_per_1000": "Absoluut verzuim na analyse per 1.000 leerplichtigen",
            "relatief_per_1000": "Meldingen wettelijk verzuim per 1.000 leerplichtigen",
        },
        grafiek="lijn",
        grafiek_kolommen=("absoluut_per_1000", "relatief_per_1000"),
        eenheid="per 1.000",
        uitleg=(
            "Waarstaatjegemeente.nl (BBV) telt leerlingen: absoluut verzuim is het aantal leerplichtigen dat "
            "niet op een school staat ingeschreven, relatief verzuim het aantal ingeschreven leerlingen dat meer "
            "dan 16 uur in 4 schoolweken zonder toestemming afwezig was, elk één keer, per 1.000 leerlingen. "
            "Zijn die officiële cijfers niet ingevoerd, dan toont dit verslag een benadering uit de meldingen "
            "(geen BBV-indicator): meldingen per 1.000 leerplichtigen, zonder luxe verzuim. Een leerling met "
            "twee meldingen telt daarin twee keer. Waar de bron een aantal na analyse geeft, staat dat apart."
        ),
    ),
    Section(
        "vrijstellingen",
        LEERPLICHT,
        "Vrijstellingen",
        "vrijstellingen",
        {
            "artikel_5a": "Artikel 5 onder a",
            "artikel_5b": "Artikel 5 onder b",
            "artikel_5c": "Artikel 5 onder c",
            "artikel_15": "Artikel 15",
        },
        eenheid="vrijstellingen",
        uitleg=(
            "Artikel 5 onder a: psychische of lichamelijke redenen. Onder b: bedenkingen tegen de richting "
            "van het onderwijs. Onder c: inschrijving bij een school buiten Nederland. Artikel 15: op een "
            "andere manier voldoende onderwijs, bijvoorbeeld een interne bedrijfsopleiding."
        ),
    ),
    Section(
        "processen_verbaal",
        LEERPLICHT,
        "Processen-verbaal",
        "processen_verbaal",
        {
            "pv_luxe_verzuim": "Luxe verzuim",
            "pv_wettelijk_verzuim": "Wettelijk verzuim",
            "pv_luxe_verzuim_po": "Luxe: waarvan basisonderwijs",
            "pv_luxe_verzuim_vo": "Luxe: waarvan voortgezet onderwijs",
            "pv_wettelijk_verzuim_vo": "Wettelijk: waarvan voortgezet onderwijs",
            "pv_wettelijk_verzuim_mbo": "Wettelijk: waarvan mbo",
        },
        grafiek_kolommen=("pv_luxe_verzuim", "pv_wettelijk_verzuim"),
        eenheid="processen-verbaal",
        uitleg="Als gesprekken en hulp het verzuim niet stoppen, kan de leerplichtambtenaar een proces-verbaal opmaken.",
    ),
    Section(
        "jongeren",
        DOORSTROOMPUNT,
        "Jongeren in het onderwijs",
        "jongeren_vsv",
        {"jongeren": "Aantal jongeren"},
        eenheid="jongeren",
        uitleg="Jongeren van 12 tot 23 jaar die op 1 oktober onderwijs volgden: de noemer van het vsv-percentage.",
    ),
    Section(
        "vsv",
        DOORSTROOMPUNT,
        "Nieuwe voortijdig schoolverlaters",
        "jongeren_vsv",
        {"vsv": "Aantal vsv'ers", **PERCENTAGES},
        grafiek="lijn",
        grafiek_kolommen=tuple(PERCENTAGES),
        grafiek_labels=GEMEENTE_LANDELIJK,
        eenheid="procent",
        uitleg=(
            "Jongeren van 12 tot 23 jaar die op 1 oktober onderwijs volgden en een jaar later niet meer "
            "ingeschreven waren, zonder startkwalificatie."
        ),
    ),
    Section(
        "vsv_onderwijssoort",
        DOORSTROOMPUNT,
        "Voortijdig schoolverlaters per onderwijssoort",
        "vsv_onderwijssoort",
        {"vsv": "Aantal schoolverlaters", **PERCENTAGES},
        soort="per_groep",
        grafiek="lijn",
        grafiek_kolommen=tuple(PERCENTAGES),
        grafiek_labels=GEMEENTE_LANDELIJK,
        groep="onderwijssoort",
        groep_labels=ONDERWIJSSOORTEN,
        eenheid="procent",
        uitleg="Het vsv-percentage per onderwijssoort, tegenover het landelijke percentage.",
    ),
    Section(
        "vsv_mbo_niveau",
        DOORSTROOMPUNT,
        "Voortijdig schoolverlaters in het mbo per niveau",
        "vsv_mbo_niveau",
        {"vsv": "Aantal schoolverlaters", **PERCENTAGES},
        soort="verdeling",
        grafiek_kolommen=tuple(PERCENTAGES),
        grafiek_labels=GEMEENTE_LANDELIJK,
        groep="mbo_niveau",
        groep_labels={"1": "Niveau 1 (Entree)", "2": "Niveau 2", "3": "Niveau 3", "4": "Niveau 4"},
        eenheid="procent",
        uitleg="Het vsv-percentage per mbo-niveau in het verslagjaar, tegenover het landelijke percentage.",
    ),
    Section(
        "overstapcoach",
        DOORSTROOMPUNT,
        "Overstapcoach",
        "overstapcoach",
        {
            "overstapcoach_totaal": "Totaal",
            "overstapcoach_intensief": "Waarvan intensief begeleid",
            "overstapcoach_meedenken": "Waarvan meedenken, adviseren of begeleiden naar hulp",
        },
        grafiek_kolommen=("overstapcoach_intensief", "overstapcoach_meedenken"),
        eenheid="jongeren",
        uitleg="Jongeren die de overstapcoach begeleidde bij de overstap van voortgezet (speciaal) onderwijs of praktijkonderwijs naar het mbo.",
    ),
    Section(
        "huisbezoeken",
        DOORSTROOMPUNT,
        "Resultaten van huisbezoeken door het jongerenwerk",
        "huisbezoeken",
        {
            "begeleiding_konnected": "Begeleiding door Konnected",
            "aan_het_werk": "Aan het werk",
            "terug_naar_school": "Terug naar school",
            "zorgtraject": "Zorgtraject",
            "wil_geen_contact": "Wil geen contact",
            "geen_contact_geweest": "Geen contact geweest",
            "verhuisd": "Verhuisd",
            "huisbezoeken_totaal": "Totaal",
        },
        soort="uitsplitsing",
        grafiek="liggend",
        grafiek_kolommen=(
            "begeleiding_konnected",
            "aan_het_werk",
            "terug_naar_school",
            "zorgtraject",
            "wil_geen_contact",
            "geen_contact_geweest",
            "verhuisd",
        ),
        eenheid="jongeren",
        uitleg="Wat een huisbezoek opleverde bij jongeren die het Jongerenloket op een andere manier niet bereikte.",
    ),
)

BY_KEY = {s.key: s for s in SECTIONS}


def sectie_met_kolom(tabel: str, kolom: str) -> Section | None:
    """The first section that shows this column of this table (its label is the column's name in the report)."""
    return next((s for s in SECTIONS if s.tabel == tabel and kolom in s.kolommen), None)


TEXT_SPOTS = ("inleiding", *(h.lower() for h in HOOFDSTUKKEN), *BY_KEY)
