from django.urls import URLPattern, URLResolver, path

from akari.coalition import views, views_staff

app_name = "coalition"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("calendar/", views.month_calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="ical"),
    path("book/", views.book, name="book"),
    path("bookings/", views.bookings, name="bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request-withdraw"),
    path("waitlist/", views.waitlist_page, name="waitlist"),
    path("waitlist/<int:pk>/<str:answer>/", views.waitlist_answer, name="waitlist-answer"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.people, name="people-of"),
    path("people/person/<int:pk>/<str:change>/", views.person_change, name="person-change"),
    path("staff/bookings/", views_staff.staff_bookings, name="staff-bookings"),
    path("staff/windows/", views_staff.staff_windows, name="staff-windows"),
    path("staff/members/", views_staff.staff_members, name="staff-members"),
    path("staff/allocation/", views_staff.staff_allocation, name="staff-allocation"),
    path("staff/allocation/<str:month>/", views_staff.staff_run, name="staff-run"),
]
