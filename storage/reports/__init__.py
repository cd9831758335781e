"""Figures for coordinators: qualification statistics and broadcast delivery."""
