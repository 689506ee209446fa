"""The counsellors' caseload: pseudonymised profiles, decisions, dated outcomes and the data
lifecycle.
"""
