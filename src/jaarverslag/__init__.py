"""jaarverslag: the reproducible annual report on leerplicht and the Doorstroompunt.

The package follows the pipeline. Each stage is a subpackage that imports only the stages
numbered below it, never one above and never one of its own number (not even for type hints);
tests/test_opbouw.py reads this list and keeps it so.

1. invoer: input: the schema, the report definition, params, loading the tables, earlier editions
2. controle: checks: the Great Expectations suites and the cross-table checks
3. inhoud: content: indicators, findings, small counts, the region, the report model
3. nieuwjaar: a new school year or gemeente: the fill-in workbook and reading it in
4. spoor: trail: where every figure comes from, the auditor's notebook cells, the manifest
5. weergave: presentation: templates, charts, the notebook's views, HTML, PDF and Word
6. bouw: build: the kernel, one report from start to end, the files drawn from the model

Beneath every stage: paths, errors, formatting, interrupt, bundel (the files of a report
folder) and systeem. Above them all: cli, the `jaarverslag` command, with its words in opdrachtregel.
"""

__version__ = "0.1.0"
