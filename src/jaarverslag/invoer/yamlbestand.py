"""Reading a YAML input file (params, a report definition) strictly: bounded in size, no anchors
or aliases, no key twice, dates left as text; every failure a Dutch message naming the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from jaarverslag import paths
from jaarverslag.errors import ParameterFout, kort

MAX_PARAMS_BYTES = 256 * 1024


# libyaml's parser when PyYAML was built with it: eight times faster than the pure-Python one
# (data/schema.yaml: 40 against 5 ms), and every build and check reads four of these files.
SNELLE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strikt:
    """Safe YAML without anchors and aliases (an alias bomb expands to gigabytes), without a key
    twice, and with dates left as text so that a wrong date gets a Dutch message instead of a
    traceback."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _alias(self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        """Refuse a key that appears twice: YAML would silently keep the last one."""
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                continue
            if key in seen:
                raise ParameterFout(
                    f"regel {key_node.start_mark.line + 1}: de sleutel '{kort(key, 40)}' staat er twee keer in; "
                    "laat er één staan."
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def _alias(mark) -> ParameterFout:
    return ParameterFout(f"regel {mark.line + 1}: verwijzingen (*alias) zijn in een parameterbestand niet toegestaan.")


class StrikteLoader(_Strikt, yaml.SafeLoader):
    """The strict reader in pure Python: the rule for what is read and how it is refused."""


class _LibyamlLoader(_Strikt, SNELLE_LOADER):
    """The strict reader on libyaml's parser. libyaml composes the nodes itself, so the alias check
    above never runs here: `laad` gives it no text that could hold an alias."""


def lees_snel(text: str, loader=_LibyamlLoader, uitleg=StrikteLoader):
    """`text` as `uitleg` reads it, read by the faster `loader` where the two agree. They differ on a
    tab after a value (libyaml takes it as a space) and on what libyaml refuses outright (a YAML
    1.3 header, a lone surrogate); its errors also say less ("did not find expected key" where the
    other says the indentation is off). Such a text is read by `uitleg`: its value, or its error."""
    if "\t" in text:
        return yaml.load(text, Loader=uitleg)  # noqa: S506 - a SafeLoader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError:
        return yaml.load(text, Loader=uitleg)  # noqa: S506 - a SafeLoader


def laad(text: str):
    """A YAML text read as StrikteLoader reads it, faster. A text that could hold an alias (it needs
    a `*`) is read by StrikteLoader itself, which refuses the alias while composing, naming its line."""
    if "*" in text:
        return yaml.load(text, Loader=StrikteLoader)  # noqa: S506 - a SafeLoader
    return lees_snel(text)


# What PyYAML's problems mean, in the words of someone who edits the file by hand.
YAML_PROBLEMEN = (
    ("end of stream", "een aanhalingsteken wordt niet gesloten"),
    ("mapping values are not allowed", "een dubbele punt waar dat niet kan; zet zo'n tekst tussen aanhalingstekens"),
    ("'\\t'", "een tab; spring in met spaties"),
    ("expected ':'", "er ontbreekt een dubbele punt achter een sleutel"),
    ("block end", "de inspringing klopt niet"),
    ("expected ',' or ']'", "een lijst [ ... ] wordt niet goed gesloten"),
    ("expected ',' or '}'", "een {...} wordt niet goed gesloten"),
)


def yamlfout(exc: yaml.YAMLError) -> str:
    """A YAML syntax error in Dutch, with the line and column where the reader stopped."""
    mark = getattr(exc, "problem_mark", None)
    where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
    problem = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or exc}"
    meaning = next((text for key, text in YAML_PROBLEMEN if key in problem), "de opbouw klopt niet")
    return f"dit is geen geldige YAML{where}: {meaning}."


def read_yaml(path: Path, where: str):
    """Read a params file: bounded in size, strict YAML, every failure a Dutch message."""
    return read_yaml_with_digest(path, where)[0]


def read_yaml_with_digest(path: Path, where: str):
    """The parsed params file and the sha256 of the bytes that were parsed."""
    why = paths.not_a_plain_file(path)
    if why:
        raise ParameterFout(f"{where}: {why}")
    try:
        if path.stat().st_size > MAX_PARAMS_BYTES:
            raise ParameterFout(
                f"{where}: het bestand is groter dan {MAX_PARAMS_BYTES // 1024} kB; dat is geen parameterbestand."
            )
        data = path.read_bytes()
        parsed = laad(data.decode("utf-8"))
        return parsed, hashlib.sha256(data).hexdigest()
    except ParameterFout as exc:
        raise ParameterFout(f"{where}: {exc}" if not str(exc).startswith(where) else str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ParameterFout(f"{where}: het bestand is geen UTF-8-tekst.") from exc
    except yaml.YAMLError as exc:
        raise ParameterFout(f"{where}: {yamlfout(exc)}") from exc
    except (ValueError, RecursionError) as exc:
        raise ParameterFout(f"{where}: een waarde is niet te lezen ({kort(str(exc), 200)}).") from exc
