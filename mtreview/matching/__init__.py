"""Matching: compiling rules into a few combined matchers that read the text once.

- ``api``: what Python checks use: ``Hit`` and the fast scan helpers.
- ``tries``: sets of strings as trie-shaped regular expressions.
- ``phrases``: phrase and token-sequence rules (one trie per case mode).
- ``dispatch``: regex rules, each tried only where it can match.
- ``shapes``: what a regex's parse tree says about where its matches begin.

The analyses are plain data, cached on disk (``mtreview.diskcache.cached_plan``).
"""
