"""Spelling: the Hunspell service and word lists (``speller``), and the typo rule's judgement (``judge``)."""
