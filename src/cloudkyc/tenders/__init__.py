"""Procurement-notice monitor: read public notices (HTML, PDF, text; UTF-8 or GB18030), extract
the buyer, intermediary, amounts and items, and flag purchases of US cloud compute, controlled
chips and US model access, each flag with the text that raised it."""
