"""An Office file (xlsx, docx: a zip of XML) rewritten so that a rebuild gives the same bytes:
the same entries in the same order, each with a fixed time, and the document's own created
and modified times replaced by the report's date."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
CORE = "docProps/core.xml"
STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def zip_tijd() -> tuple[int, int, int, int, int, int]:
    """The entries' time: SOURCE_DATE_EPOCH (the build sets it from the report's date), else 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        return FIXED_ZIP_TIME
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return max(FIXED_ZIP_TIME, moment.timetuple()[:6])


def vastzetten(path: Path, stamp: str, date_time: tuple[int, ...] = FIXED_ZIP_TIME) -> None:
    """Rewrite the file with `stamp` (ISO, UTC) as its created and modified time and `date_time`
    on every zip entry; the order of the entries stays as the writer made it."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    members = [
        (name, STAMPS.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data) if name == CORE else data)
        for name, data in members
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            fixed = zipfile.ZipInfo(name, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, data)
