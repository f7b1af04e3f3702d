from django.urls import URLPattern, URLResolver, path

from akari.services.views import consultations, matching, orders

app_name = "services"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", consultations.index, name="index"),
    # Consultation desk
    path("consultations/new/", consultations.consultation_new, name="consultation-new"),
    path("consultations/mine/", consultations.my_consultations, name="my-consultations"),
    path("consultations/queue/", consultations.queue, name="queue"),
    path(
        "consultations/verify/<str:token>/",
        consultations.consultation_verify,
        name="consultation-verify",
    ),
    path(
        "consultations/t/<str:token>/",
        consultations.consultation_thread,
        name="consultation-thread",
    ),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path(
        "consultations/<int:pk>/<str:action>/",
        consultations.consultation_action,
        name="consultation-action",
    ),
    path("attachments/<int:pk>/", consultations.attachment_download, name="attachment"),
    path("enquiries/", consultations.enquiries, name="enquiries"),
    # Partner matching
    path("matching/", matching.home, name="matching"),
    path("matching/profile/", matching.profile_edit, name="profile"),
    path("matching/needs/new/", matching.need_new, name="need-new"),
    path("matching/needs/<int:pk>/", matching.need_detail, name="need"),
    path("matching/needs/<int:pk>/<str:action>/", matching.need_action, name="need-action"),
    path("matching/requests/<int:pk>/", matching.request_detail, name="match-request"),
    path("matching/funnel/", matching.funnel, name="funnel"),
    # Service orders
    path("orders/", orders.my_orders, name="my-orders"),
    path("orders/new/", orders.order_new, name="order-new"),
    path("orders/queue/", orders.order_queue, name="order-queue"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/<str:action>/", orders.order_action, name="order-action"),
]
