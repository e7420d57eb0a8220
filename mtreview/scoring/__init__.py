"""Scores: readability, reference metrics, MQM: numbers about a document (and the findings they imply)."""
