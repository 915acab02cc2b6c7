"""Itda (잇다): the shared welfare-network dashboard's library.

Pages and the CLI call into this package; nothing here imports streamlit except
`lib.ui`, `lib.cache` and the page helpers, so every query can run in tests and scripts.
"""
