"""The reading engine: raw chapter text in, typed analysis out. No Django."""
