"""REST compatibility routes, one package per vendor, each a mounted sub-app."""
