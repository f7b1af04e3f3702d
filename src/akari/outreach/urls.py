from django.urls import URLPattern, URLResolver, path

from akari.outreach import views, views_staff

app_name = "outreach"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("news/", views.news_list, name="news"),
    path("news/<int:pk>/", views.news_detail, name="news-detail"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/event.ics", views.event_ical, name="event-ical"),
    path(
        "events/registrations/<int:pk>/cancel/",
        views.registration_cancel,
        name="registration-cancel",
    ),
    path("events/mine/", views.my_events, name="my-events"),
    path("events/feed/<str:token>.ics", views.my_events_feed, name="my-events-feed"),
    path("audiences/<slug:slug>/", views.audience, name="audience"),
    path("finder/", views.finder_page, name="finder"),
    path("explore/beamlines/", views.explore_beamlines, name="explore"),
    # Staff
    path("news/staff/", views_staff.staff_news, name="staff-news"),
    path("news/staff/new/", views_staff.news_edit, name="staff-news-new"),
    path("news/staff/<int:pk>/edit/", views_staff.news_edit, name="staff-news-edit"),
    path("news/staff/<int:pk>/preview/", views_staff.news_preview, name="staff-news-preview"),
    path("news/staff/<int:pk>/<str:action>/", views_staff.news_action, name="staff-news-action"),
    path("events/staff/", views_staff.staff_events, name="staff-events"),
    path("events/staff/new/", views_staff.event_edit, name="staff-event-new"),
    path("events/staff/<int:pk>/edit/", views_staff.event_edit, name="staff-event-edit"),
    path("events/staff/<int:pk>/attendees/", views_staff.attendees, name="staff-attendees"),
    path(
        "events/staff/<int:pk>/attendees.csv",
        views_staff.attendees_csv,
        name="staff-attendees-csv",
    ),
    path(
        "events/staff/<int:pk>/<str:action>/",
        views_staff.event_action,
        name="staff-event-action",
    ),
    path(
        "events/staff/registrations/<int:pk>/attendance/",
        views_staff.attendance,
        name="staff-attendance",
    ),
]
