"""Browser pages of the community-council app, one module per subject."""
