from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fanfold.archive.people.models import User

admin.site.register(User, UserAdmin)
