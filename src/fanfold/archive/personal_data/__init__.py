"""A person's own data: everything they posted, downloadable, and their account deletable."""
