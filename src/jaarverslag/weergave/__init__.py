"""Presentation: charts, the notebook's cells, the HTML and PDF documents."""
