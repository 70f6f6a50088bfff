"""Files in and out: readers return a ParsedWork, writers take one. No Django."""
