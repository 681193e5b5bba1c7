"""Tasks of every kind: listing, the verbs, and what runs now."""
