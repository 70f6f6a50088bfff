from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fanfold.archive.people.models import User
from fanfold.archive.people.signin_views import admin_has_permission, admin_login

admin.site.register(User, UserAdmin)

# The admin is no way around two-factor sign-in: its login page leads to the
# site's (password, then code), and staff with a device need a session that gave it.
admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.has_permission = admin_has_permission  # type: ignore[method-assign]
