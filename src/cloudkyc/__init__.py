"""cloudkyc: know your customer, know your compute."""

__version__ = "0.1.0"
