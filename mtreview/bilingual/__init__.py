"""Reading a translation against its source. Each module answers one question about the
two texts, for the checks in ``mtreview/checks/bilingual.py``, ``parity.py`` and
``glossary.py``:

- ``pairing``: which source sentences each English sentence translates (the alignment,
  ``Document.source``), and the source's language;
- ``quantities``: what numbers, amounts, dates and times a sentence says, in either language,
  as values that compare across the two;
- ``names``: what names, acronyms, links and handles a sentence has, and when two of them are
  the same name (transliterated, translated, an acronym of the other language);
- ``lexicon``: whether a word is a common word of a language (pyspellchecker's lists);
- ``langid``: what language a sentence, or a run of words inside one, is in (fastText);
- ``glossary`` and ``terms``: the run's glossary, and where its terms occur.
"""
