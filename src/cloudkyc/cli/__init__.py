"""Typer command line: one module per command group; cli/app.py wires them together."""
