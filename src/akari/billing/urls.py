from django.urls import URLPattern, URLResolver, path

from akari.billing import views, views_finance

app_name = "billing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_finance.dashboard, name="dashboard"),
    path("invoices/", views_finance.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/pdf/<str:language>/", views.invoice_pdf, name="invoice-pdf"),
    path("invoices/<int:pk>/issue/", views_finance.invoice_issue, name="invoice-issue"),
    path("invoices/<int:pk>/discard/", views_finance.invoice_discard, name="invoice-discard"),
    path("invoices/<int:pk>/payments/", views_finance.payment_add, name="payment-add"),
    path("invoices/<int:pk>/credit-notes/", views_finance.credit_note_add, name="credit-add"),
    path("runs/", views_finance.run_list, name="runs"),
    path("receivables/", views_finance.receivables, name="receivables"),
    path("export/invoices.csv", views_finance.export_csv, name="export"),
    path("mine/", views.my_invoices, name="my-invoices"),
    path("statements/<int:organisation>/", views.statement, name="statement"),
    path("estimate/", views.estimate, name="estimate"),
    path("usage/", views.usage_list, name="usage"),
    path("usage/<int:experiment>/", views.usage_edit, name="usage-edit"),
    path("usage/<int:experiment>/<str:action>/", views.usage_action, name="usage-action"),
]
