"""A new school year: the checklist, the fill-in workbook, reading it back."""
