"""Nothing ever lost: a consistent online backup of the archive, and its restore."""
