"""Accounts, their preferences, and who a person keeps away (mutes, blocks, hidden tags).

Mutes and hidden tags are applied inside listing queries (see
``fanfold.archive.search.selectors``), so counts and pages leave them out
too, unlike AO3's after-the-fact CSS hiding.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from fanfold.archive.tags.models import Tag


class Theme(models.TextChoices):
    SYSTEM = "system", "As my device is set"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"
    CONTRAST = "contrast", "High contrast"


class ReadingSize(models.TextChoices):
    """The size of a work's text on its pages (the rest of the site keeps its own)."""

    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    LARGE = "large", "Large"
    X_LARGE = "x-large", "Extra large"


class ReadingWidth(models.TextChoices):
    """How wide a work's lines run on a wide screen (a phone's screen is narrower still)."""

    NARROW = "narrow", "Narrow"
    MEDIUM = "medium", "Medium"
    WIDE = "wide", "Wide"


class SubscriptionEmail(models.TextChoices):
    """How a subscriber hears of a new chapter or work besides the inbox."""

    NONE = "none", "No email: the inbox only"
    EACH = "each", "An email for each"
    DAILY = "daily", "One email a day with everything new"


class User(AbstractUser):
    """An archive account; ``username`` is the name shown on works.

    The preferences live on the account itself (one row, read with the
    session's user, no join): whether author's notes show by default, a
    warning before Mature and Explicit works, the theme, the time zone dates
    are shown in, how subscriptions reach the person by email (none until they choose),
    whether comments on their works and replies reach them by email, whether
    their reading history is kept, whether dialogue is coloured by speaker,
    and the size and line width of a work's text.
    """

    bio = models.TextField(blank=True, max_length=5000)
    hide_notes_by_default = models.BooleanField(default=False)
    warn_before_mature = models.BooleanField(default=True)
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.SYSTEM)
    time_zone = models.CharField(max_length=64, default="UTC")
    # Email is opted into: a subscription fills the inbox; the settings page adds email.
    subscription_email = models.CharField(
        max_length=8, choices=SubscriptionEmail.choices, default=SubscriptionEmail.NONE
    )
    email_comments = models.BooleanField(default=True)
    history_paused = models.BooleanField(default=False)
    # Dialogue coloured by speaker where Fanfold has read the work (insights' reading mode).
    colour_dialogue = models.BooleanField(default=False)
    reading_size = models.CharField(
        max_length=8, choices=ReadingSize.choices, default=ReadingSize.MEDIUM
    )
    reading_width = models.CharField(
        max_length=8, choices=ReadingWidth.choices, default=ReadingWidth.MEDIUM
    )

    def __str__(self) -> str:
        return self.username


class Mute(models.Model):
    """``user`` no longer sees ``muted``'s works in listings and searches."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "muted"], name="mute_once")]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.muted_id}"


class HiddenTag(models.Model):
    """``user`` no longer sees works a filter on ``tag`` would find."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hidden_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="hide_tag_once")]

    def __str__(self) -> str:
        return f"{self.user_id} hides tag {self.tag_id}"


class Block(models.Model):
    """``user`` blocks ``blocked``: no comments on ``user``'s works, no replies to ``user``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} blocks {self.blocked_id}"


class InvitationRequest(models.Model):
    """A visitor's place in the queue for an invitation (``FANFOLD_REGISTRATION=invite``).

    One row per address, kept lower-cased (``people.invitations.normalised_email``),
    so asking twice keeps the first place. ``invited_at`` is set when the
    operator sends the invitation; the row stays as the record of it.
    """

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["invited_at", "created_at", "id"], name="invite_queue")]

    def __str__(self) -> str:
        return self.email


class Invitation(models.Model):
    """A single-use code that lets one person create an account, until it expires."""

    code = models.CharField(max_length=32, unique=True)
    email = models.EmailField(help_text="Where the invitation was sent")
    request = models.OneToOneField(
        InvitationRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"invitation for {self.email}"


class SignInSession(models.Model):
    """One browser signed in to an account, for the list of sessions on the settings page.

    Written when the person logs in; ``last_seen_at`` moves at most once an
    hour (the middleware keeps the time in the session), so reading pages
    writes nothing. Revoking one deletes its session from the session store.
    """

    USER_AGENT_MAX = 300

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    user_agent = models.CharField(max_length=USER_AGENT_MAX, blank=True)
    address = models.CharField(max_length=45, blank=True)  # an IPv6 address at its longest

    class Meta:
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="sign_in_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} signed in on {self.created_at:%Y-%m-%d}"
