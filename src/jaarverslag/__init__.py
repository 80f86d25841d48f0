"""jaarverslag: the reproducible annual report on leerplicht and the Doorstroompunt."""

__version__ = "0.1.0"
