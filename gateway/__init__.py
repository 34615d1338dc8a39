"""healthgate: one GraphQL gateway over every health signal a team has."""

__version__ = "0.1.0"
