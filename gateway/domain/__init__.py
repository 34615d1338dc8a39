"""Pure domain rules: no I/O, no framework imports, the clock passed in as ``now``."""
