"""The Strawberry GraphQL schema: types, queries, subscriptions and their context."""
