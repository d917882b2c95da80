"""Compute accounting: FLOP estimates from hardware x time, and the ledger of compute per
account and per group of linked accounts (SQL in usage_sql.py, run by DuckDB or Spark)."""
