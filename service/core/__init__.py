"""Infrastructure every part of the service shares: settings, database sessions, errors, audit
trail, clock, logging, metrics, security headers and migrations.
"""
