"""The regulations as code and data. Pure: no I/O beyond reading the bundled profile files."""
