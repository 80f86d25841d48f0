"""Content: indicators, key findings, small-count protection, regions, key figures, the report."""
