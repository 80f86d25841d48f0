"""Findings about what the work achieved, as the report definition's rules ask: an outcome share
("de meesten van hen (70%) nog in het mbo zitten") and the results of outreach ("het jongerenwerk
64 jongeren in beeld bracht, van wie 33 aan het werk"). Like findings.py: a sentence, the rule in
words, and every figure with its cell."""

from __future__ import annotations

import pandas as pd

from jaarverslag.formatting import getal, percentage
from jaarverslag.inhoud.celtekst import opsomming
from jaarverslag.inhoud.kernpunt import Kernpunt, Zoeker, geen_bron, geplaatst, plaatsregel
from jaarverslag.invoer.regels import Aandeel, Bereik
from jaarverslag.invoer.schema import schema

MEERDERHEID = 50.0  # a share above this is 'de meesten'


def _waarde(frame: pd.DataFrame, reported: str, kolom: str):
    values = frame.loc[frame["schooljaar"] == reported, kolom].dropna() if kolom in frame.columns else []
    return None if len(values) == 0 else float(values.iloc[0])


def aandeel(rule: Aandeel, frame: pd.DataFrame, reported: str, cel: Zoeker = geen_bron) -> Kernpunt | None:
    """An outcome share of the reported year; the rule's `meerderheid` words when it is more than half."""
    share = _waarde(frame, reported, rule.kolom)
    if share is None:
        return None
    decimals = schema()[rule.tabel].columns[rule.kolom].get("decimalen", 0) if rule.tabel in schema() else 0
    printed = percentage(share, decimals)
    most = share > MEERDERHEID and rule.meerderheid
    text = (rule.meerderheid if most else rule.zin).format(p=printed)
    figures = ((f"dit schooljaar ({reported})", printed, cel(rule.tabel, reported, rule.kolom)),)
    rule_text = (
        f"Aandeel ({rule.tabel}.{rule.kolom}): het percentage van {reported}; boven {getal(MEERDERHEID)}% "
        f"de woorden voor de meerderheid; {plaatsregel(rule)}."
    )
    return geplaatst(Kernpunt(text, rule_text, figures, 0.0, rule.tabel, rule.kolom), rule, False)


def bereik(rule: Bereik, frame: pd.DataFrame, reported: str, cel: Zoeker = geen_bron) -> Kernpunt | None:
    """How many the outreach brought into view, and the outcomes the rule names, largest first."""
    total = _waarde(frame, reported, rule.kolom)
    if total is None:
        return None
    figures = [(f"totaal ({reported})", getal(total), cel(rule.tabel, reported, rule.kolom))]
    known = [(kolom, words, _waarde(frame, reported, kolom)) for kolom, words in rule.uitkomsten]
    shown = sorted(((k, w, v) for k, w, v in known if v), key=lambda item: -item[2])
    text = rule.zin.format(n=getal(total))
    if shown:
        text += ", van wie " + opsomming([f"{getal(v)} {w}" for _, w, v in shown])
    figures += [(f"{k} ({reported})", getal(v), cel(rule.tabel, reported, k)) for k, _, v in shown]
    rule_text = (
        f"Bereik ({rule.tabel}.{rule.kolom}): het totaal van {reported} en de uitkomsten "
        f"{', '.join(k for k, _ in rule.uitkomsten)} (van groot naar klein; een onbekend of verborgen "
        f"aantal niet); {plaatsregel(rule)}."
    )
    found = Kernpunt(text, rule_text, tuple(figures), 0.0, rule.tabel, rule.kolom)
    return geplaatst(found, rule, total < rule.minimum)
