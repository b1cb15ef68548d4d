"""The nhiemvu service: the SQLite store, the FastAPI app, exports and the CLI.

It depends on `extractors` and `models`, never the other way round.
"""
