"""One figure on the Kerncijfers page, as params and the report definition write it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

KERNCIJFER_VORM = "schrijf elk kerncijfer als {tabel: ..., kolom: ...} (eventueel met landelijk en label)."


class Kerncijfer(BaseModel):
    """A column of a table, optionally beside its national column, with an optional label."""

    model_config = ConfigDict(extra="forbid", strict=True)
    tabel: str
    kolom: str
    landelijk: str | None = None
    label: str | None = None
