"""Aggregate statistics for the coordination office: counts only, small cells suppressed."""
