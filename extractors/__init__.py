"""Pure functions from a document's bytes to the domain types of `models`.

Readers turn bytes into blocks, `normalise` turns blocks into one text with
offsets, and the rule components (structure, metadata, tasks, units,
deadlines, targets, references) read that text. Nothing here touches a
database or the web; `extractors.pipeline.extract` is the entry point.
"""
