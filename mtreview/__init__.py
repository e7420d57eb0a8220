"""mtreview: machine-translation quality and style review for English news copy."""

__version__ = "0.1.0"
