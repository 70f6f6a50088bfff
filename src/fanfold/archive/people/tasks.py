"""The people app's background job: the password-reset email, sent by ``fanfold worker``.

The reset page only queues this job, for any address typed: whether an
account has the address is decided here, away from the request, so the
page answers alike, in what it says and in the time it takes.
"""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> int:
    """Email a reset link to each active account with ``email`` (usually none or one)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="people/password_reset_subject.txt",
        email_template_name="people/password_reset_email.txt",
    )
    return len(list(form.get_users(email)))
