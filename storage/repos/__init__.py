"""One repository per collection; they take and return domain objects."""
