"""A person's inbox: comments on their works, replies to their comments, new chapters they follow.

Entries are written by the apps above (comments, reading's subscriptions)
through :func:`fanfold.archive.inbox.services.deliver`; each carries what
its line in the inbox shows (who, a plain-text excerpt, the work and
chapter), so the inbox page is one query however the apps above change.
"""
