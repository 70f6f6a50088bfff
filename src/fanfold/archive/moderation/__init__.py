"""Abuse handled: reports from anyone, a staff queue, hidden content, suspensions, an audit log."""
