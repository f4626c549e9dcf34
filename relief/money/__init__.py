"""The money engine's set-based SQL: recomputing amounts under a new standard, generating monthly batches and
subsidy adjustments. Each module's ``*Work`` class is run in chunks by civic.jobs; services start them."""
