"""The synthetic Krefeld-like demo data and its history."""
