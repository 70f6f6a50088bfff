from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm

from fanfold.archive.people.invitations import check_code
from fanfold.archive.people.models import ReadingSize, ReadingWidth, SubscriptionEmail, Theme, User
from fanfold.archive.people.selectors import available_time_zones
from fanfold.archive.people.services import BIO_MAX, PREFERENCE_FIELDS, Preferences

# The shared account orphaned works go to (fanfold.archive.personal_data.services).
RESERVED_USERNAMES = {"orphan_account"}


class SignupForm(UserCreationForm[User]):
    class Meta:
        model = User
        fields = ("username", "email")
        help_texts = {"email": "Optional. Without it a forgotten password cannot be reset."}

    def clean_username(self) -> str:
        username = str(super().clean_username())
        # "." and ".." are folders to a browser: /users/../ would lead to the home page.
        if not username.strip("."):
            raise forms.ValidationError("A username needs a letter, digit or one of @ + - _.")
        if username.lower() in RESERVED_USERNAMES:
            raise forms.ValidationError("That name is the archive's own; choose another.")
        return username


class SettingsForm(forms.Form):
    """The preferences on the settings page; each takes effect on the next page."""

    hide_notes_by_default = forms.BooleanField(
        required=False,
        label="Hide authors' notes by default",
        help_text="The button on a work still shows them for as long as you are logged in.",
    )
    warn_before_mature = forms.BooleanField(
        required=False,
        label="Warn me before Mature and Explicit works",
        help_text="Uncheck to open them without the page asking first.",
    )
    colour_dialogue = forms.BooleanField(
        required=False,
        label="Colour dialogue by speaker",
        help_text="In works Fanfold has read, each speaker's lines get a colour and an initial.",
    )
    theme = forms.ChoiceField(
        choices=Theme.choices,
        label="Theme",
        help_text="High contrast: black on white, thicker borders and focus rings.",
    )
    # Not required: a form without them (an older page, a script) keeps what the account has.
    reading_size = forms.ChoiceField(
        required=False,
        choices=ReadingSize.choices,
        label="Text size of works",
        help_text="Also on every work's page, under “Reading settings”.",
    )
    reading_width = forms.ChoiceField(
        required=False,
        choices=ReadingWidth.choices,
        label="Line width of works",
        help_text="How wide a work's lines run on a wide screen.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone", help_text="Dates on the archive's pages are shown in it."
    )
    subscription_email = forms.ChoiceField(
        choices=SubscriptionEmail.choices,
        label="Email about works and authors I follow",
        help_text="New posts always reach your inbox; email only if you choose it here.",
    )
    email_comments = forms.BooleanField(
        required=False,
        label="Email me about comments on my works and replies to my comments",
        help_text="They reach your inbox either way.",
    )
    history_paused = forms.BooleanField(
        required=False,
        label="Pause my reading history",
        help_text="While paused, the works you read are not added to your history.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = available_time_zones()
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = [(zone, zone.replace("_", " ")) for zone in zones]

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> SettingsForm:
        return cls(data, initial={name: getattr(user, name) for name in PREFERENCE_FIELDS})

    def to_preferences(self) -> Preferences:
        """The preferences chosen; a reading setting left out keeps the account's value."""
        chosen = {name: self.cleaned_data[name] for name in PREFERENCE_FIELDS}
        for name in ("reading_size", "reading_width"):
            chosen[name] = chosen[name] or self.initial.get(name) or "medium"
        return Preferences(**chosen)


class BioForm(forms.Form):
    bio = forms.CharField(
        required=False,
        max_length=BIO_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Bio",
        help_text="Shown on your profile. Plain text or simple HTML (links, emphasis, lists).",
    )


class EmailChangeForm(forms.Form):
    """A new address and the current password; the change waits for the link sent there."""

    new_email = forms.EmailField(label="New email address", max_length=254)
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class ThemeForm(forms.Form):
    """The footer's theme switch."""

    theme = forms.ChoiceField(choices=Theme.choices, label="Theme")


class ReadingForm(forms.Form):
    """A work page's reading settings: the size and line width of the text."""

    size = forms.ChoiceField(choices=ReadingSize.choices, label="Text size")
    width = forms.ChoiceField(choices=ReadingWidth.choices, label="Line width")


class InvitedSignupForm(SignupForm):
    """Signup while registration is by invitation: the code comes first, from the email's link."""

    invitation = forms.CharField(
        label="Invitation code",
        max_length=64,
        help_text="It is in the invitation email; its link fills it in.",
    )

    field_order = ["invitation", "username", "email", "password1", "password2"]

    def clean_invitation(self) -> str:
        code = str(self.cleaned_data["invitation"]).strip()
        check_code(code)  # its ValidationError is the field's message
        return code


class QueueForm(forms.Form):
    """Ask for an invitation: the address it will be sent to."""

    email = forms.EmailField(label="Your email address", max_length=254)


# Sign-in security ------------------------------------------------------------------


class CodeForm(forms.Form):
    """A two-factor code: the app's 6 digits, or one of the recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}
        ),
    )


class DisableTwoFactorForm(CodeForm):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]
