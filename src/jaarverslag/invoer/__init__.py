"""Input: the data dictionary, the report definition, params, loading the tables, privacy checks."""
