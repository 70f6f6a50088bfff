"""The Django site: works, tags, people, reading, search and the API."""
