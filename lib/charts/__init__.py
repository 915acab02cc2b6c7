"""Altair charts: one theme (`theme`), the dashboard's charts (`dashboard`), the network's."""
