"""The one translator from pydantic's validation errors to the project's Dutch messages.

A model states its Dutch rule where it checks it (`regel("...")`); the translator adds the
file, collects unknown and missing keys into one line each, words a wrong type with the
field's own description, and lists every problem of a file in one message.
"""

from __future__ import annotations

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from jaarverslag.errors import ParameterFout, kort

NL = "nl"  # the error type of a rule worded in Dutch by the model itself


def regel(tekst: str) -> PydanticCustomError:
    """A broken rule, worded in Dutch where the model checks it (the text is not a format string)."""
    return PydanticCustomError(NL, "{tekst}", {"tekst": tekst})


def fout(exc: ValidationError, model: type[BaseModel], where: str, lijsten: dict[str, str] | None = None) -> ParameterFout:
    """All problems of one file as one ParameterFout. `lijsten` words a malformed entry of a
    list field (field -> rule), e.g. kerncijfers -> 'schrijf elk kerncijfer als ...'."""
    problems = problemen(exc, model, lijsten or {})
    if len(problems) == 1:
        return ParameterFout(f"{where}: {problems[0]}")
    lines = "\n".join(f"  {n}. {p}" for n, p in enumerate(problems, start=1))
    return ParameterFout(f"{where}: {len(problems)} problemen (verbeter ze alle):\n{lines}")


def problemen(exc: ValidationError, model: type[BaseModel], lijsten: dict[str, str]) -> list[str]:
    errors = exc.errors(include_url=False)
    unknown = [str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1]
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing" and len(e["loc"]) == 1]
    out = []
    if unknown:
        out.append(f"onbekende sleutel(s) {', '.join(sorted(unknown))}. Toegestaan: {', '.join(model.model_fields)}.")
    if missing:
        out.append(f"de sleutel(s) {', '.join(missing)} ontbreken.")
    for error in errors:
        loc = error["loc"]
        if len(loc) == 1 and error["type"] in ("extra_forbidden", "missing"):
            continue
        text = _zin(error, model, lijsten)
        if text not in out:
            out.append(text)
    return out


def _zin(error: dict, model: type[BaseModel], lijsten: dict[str, str]) -> str:
    key, *rest = error["loc"]
    if error["type"] == NL:
        return error["ctx"]["tekst"]
    if rest and key in lijsten and isinstance(rest[0], int):
        return f"{key}, nummer {rest[0] + 1}: {lijsten[key]}"
    return f"'{key}' heeft de verkeerde vorm ({kort(error['input'])}); verwacht {beschrijving(model, str(key))}."


def beschrijving(model: type[BaseModel], key: str) -> str:
    """A field's Dutch description, with its default when it has one that says something."""
    field = model.model_fields[key]
    default = field.get_default()
    shown = {int: str, float: lambda v: str(v).replace(".", ","), str: lambda v: f"'{v}'"}
    if type(default) in shown and not field.is_required() and default not in ("", 0):
        return f"{field.description} (standaard {shown[type(default)](default)})"
    return field.description or key
