"""The SQL layer: every statement Itda runs lives in this package and binds its values.

Functions take a SQLAlchemy connection first and a `Scope` (what the viewer may see),
and return plain values or pandas frames of aggregated rows.
"""
