"""Figures: the shared style, charts that only draw the tables they are given, saving."""
