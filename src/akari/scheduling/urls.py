from django.urls import URLPattern, URLResolver, path

from akari.scheduling import views

app_name = "scheduling"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.period_list, name="periods"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.period_detail, name="period"),
    path("<int:pk>/run/", views.run_status, name="run"),
    path("<int:pk>/segments/", views.segment_add, name="segment_add"),
    path("<int:pk>/segments/<int:segment>/remove/", views.segment_remove, name="segment_remove"),
    path("<int:pk>/outages/", views.outage_add, name="outage_add"),
    path("<int:pk>/plans/", views.plan_set, name="plan_set"),
    path("<int:pk>/solve/", views.solve, name="solve"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("blocks/<int:pk>/", views.block_detail, name="block"),
    path("blocks/<int:pk>/pin/", views.block_pin, name="block_pin"),
    path("blocks/<int:pk>/remove/", views.block_remove, name="block_remove"),
    path("blocks/<int:pk>/swap/", views.block_swap, name="block_swap"),
    path("blocks/<int:pk>/cancel/", views.block_cancel, name="block_cancel"),
    path("feeds/person/<str:token>.ics", views.feed_person, name="feed_person"),
    path("feeds/<slug:facility>.ics", views.feed_facility, name="feed_facility"),
    path("feeds/<slug:facility>/<str:code>.ics", views.feed_beamline, name="feed_beamline"),
]
