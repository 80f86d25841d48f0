"""The one translator from pydantic's validation errors to the project's Dutch messages.

A model states its Dutch rule where it checks it (`regel("...")`); the translator turns every
error of a file into a `Probleem` (the key it is about and the Dutch sentence), words unknown
and missing keys and wrong types the same way for every file, and lists every problem of a
file in one message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from jaarverslag.errors import ParameterFout, kort

NL = "nl"  # the error type of a rule worded in Dutch by the model itself


@dataclass(frozen=True)
class Probleem:
    pad: str  # the key it is about, dotted ('grafiek.soort'); '' for the file as a whole
    tekst: str  # the Dutch sentence
    heel: bool = False  # the sentence names its own file (a problem in the schema, not here)
    soort: str = "regel"  # regel | onbekend | ontbreekt | vorm (a wrong type: `tekst` is what is expected)
    gegeven: str = ""  # for a wrong type: what the file has, shortened

    @property
    def zin(self) -> str:
        """The sentence for a message that names the key before it."""
        return f"{self.tekst} (gegeven: {self.gegeven})." if self.soort == "vorm" else self.tekst


def regel(tekst: str, pad: str | None = None, heel: bool = False) -> PydanticCustomError:
    """A broken rule, worded in Dutch where the model checks it (the text is not a format
    string). `pad`: the key it is about when that is not the field ('grafiek.soort');
    `heel`: the text names its own file."""
    return PydanticCustomError(NL, "{tekst}", {"tekst": tekst, "pad": pad, "heel": heel})


def problemen(exc: ValidationError, model: type[BaseModel], lijsten: dict[str, str] | None = None) -> list[Probleem]:
    """Every error as a Probleem, in the model's order. `lijsten` words a malformed entry of a
    list field (field -> rule), e.g. kerncijfers -> 'schrijf elk kerncijfer als ...'."""
    out: list[Probleem] = []
    for error in exc.errors(include_url=False):
        found = _probleem(error, model, lijsten or {})
        if found not in out:
            out.append(found)
    return out


def _probleem(error: dict, model: type[BaseModel], lijsten: dict[str, str]) -> Probleem:
    loc = [str(part) for part in error["loc"]]
    if len(loc) > 1 and loc[-1].isdigit() and not (loc[0] in lijsten and len(loc) == 2):
        loc[-1] = str(int(loc[-1]) + 1)  # the n-th item of a list, counted from 1 as the rules do
    key = loc[0] if loc else ""
    if error["type"] == NL:
        ctx = error["ctx"]
        return Probleem(ctx["pad"] or ".".join(loc), ctx["tekst"], ctx["heel"])
    if len(loc) > 1 and key in lijsten and loc[1].isdigit():
        return Probleem(key, f"{key}, nummer {int(loc[1]) + 1}: {lijsten[key]}")
    if error["type"] == "extra_forbidden" and len(loc) == 1:
        return Probleem(key, f"onbekende sleutel; bekend zijn {', '.join(model.model_fields)}.", soort="onbekend")
    if error["type"] == "extra_forbidden":
        known = ", ".join(_deelmodel(model, key).model_fields)
        return Probleem(".".join(loc), f"onbekende sleutel '{'.'.join(loc)}'; bekend zijn {known}.")
    if error["type"] == "missing":
        return Probleem(".".join(loc), "deze sleutel ontbreekt.", soort="ontbreekt")
    owner, field = (_deelmodel(model, key), loc[1]) if len(loc) > 1 and _is_blok(model, key) else (model, key)
    return Probleem(".".join(loc), f"verwacht {beschrijving(owner, field)}", soort="vorm", gegeven=kort(error["input"]))


def _is_blok(model: type[BaseModel], key: str) -> bool:
    annotation = model.model_fields[key].annotation if key in model.model_fields else None
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _deelmodel(model: type[BaseModel], key: str) -> type[BaseModel]:
    """The model of a field that is itself a block of keys (params `raadsmededeling:`)."""
    return model.model_fields[key].annotation


def params_fout(exc: ValidationError, model: type[BaseModel], where: str, lijsten: dict[str, str]) -> ParameterFout:
    """The problems of a params file, in its own words: unknown and missing keys together."""
    found = problemen(exc, model, lijsten)
    unknown = sorted(p.pad for p in found if p.soort == "onbekend")
    missing = [p.pad for p in found if p.soort == "ontbreekt"]
    lines = (
        [f"onbekende sleutel(s) {', '.join(unknown)}. Toegestaan: {', '.join(model.model_fields)}."] if unknown else []
    )
    lines += [f"de sleutel(s) {', '.join(missing)} ontbreken."] if missing else []
    for p in found:
        if p.soort == "vorm":
            lines.append(f"'{p.pad}' heeft de verkeerde vorm ({p.gegeven}); {p.tekst}.")
        elif p.soort == "regel":
            lines.append(p.tekst)
    return ParameterFout(samen(where, lines))


class Problemen(ParameterFout):
    """Several problems, possibly in several files, each line naming its own file and key."""

    def __init__(self, regels: list[str], kop: str):
        self.regels = regels
        super().__init__(samen(kop, regels) if len(regels) > 1 else regels[0])


def samen(where: str, lines: list[str]) -> str:
    """One problem as `where: problem`; several numbered below each other, all at once."""
    if len(lines) == 1:
        return f"{where}: {lines[0]}"
    numbered = "\n".join(f"  {n}. {line}" for n, line in enumerate(lines, start=1))
    return f"{where + ': ' if where else ''}{len(lines)} problemen (verbeter ze alle):\n{numbered}"


def beschrijving(model: type[BaseModel], key: str) -> str:
    """A field's Dutch description, with its default when it has one that says something."""
    field = model.model_fields.get(key)
    if field is None:
        return key
    default = field.get_default()
    shown = {int: str, float: lambda v: str(v).replace(".", ","), str: lambda v: f"'{v}'"}
    if type(default) in shown and not field.is_required() and default not in ("", 0):
        return f"{field.description} (standaard {shown[type(default)](default)})"
    return field.description or key
