"""The archive's URLs: each app brings its own."""

from django.contrib import admin
from django.urls import include, path

handler400 = "fanfold.archive.errors.bad_request"
handler403 = "fanfold.archive.errors.permission_denied"
handler404 = "fanfold.archive.errors.page_not_found"
handler500 = "fanfold.archive.errors.server_error"

urlpatterns = [
    path("", include("fanfold.archive.search.urls")),
    path("", include("fanfold.archive.works.urls")),
    path("", include("fanfold.archive.inbox.urls")),
    path("", include("fanfold.archive.reading.urls")),
    path("", include("fanfold.archive.comments.urls")),
    path("", include("fanfold.archive.insights.urls")),
    path("", include("fanfold.archive.people.urls")),
    path("", include("fanfold.archive.personal_data.urls")),
    path("", include("fanfold.archive.tags.urls")),
    path("", include("fanfold.archive.insights.suggestions_urls")),
    path("", include("fanfold.archive.moderation.urls")),
    path("admin/", admin.site.urls),
]
