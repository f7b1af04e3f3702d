from django.urls import path

from akari.selection import views

app_name = "selection"
urlpatterns = [
    path("", views.call_list, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/adopt/", views.adopt, name="adopt"),
    path("calls/<int:pk>/publish/", views.publish, name="publish"),
    path("calls/<int:pk>/fill-waitlist/", views.fill_waitlist, name="fill-waitlist"),
    path("calls/<int:pk>/ranking.<str:fmt>", views.ranking_export, name="export"),
    path("calls/<int:pk>/<str:beamline>/", views.committee, name="committee"),
    path("calls/<int:pk>/<str:beamline>/<int:proposal>/decide/", views.decide, name="decide"),
]
