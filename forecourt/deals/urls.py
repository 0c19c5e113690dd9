from django.urls import URLPattern, path

from forecourt.deals import views

app_name = "deals"

urlpatterns: list[URLPattern] = [
    path("", views.deal_list, name="deal-list"),
    path("new/", views.deal_new, name="deal-new"),
    path("stock-book/", views.stock_book, name="stock-book"),
    path("settings/", views.deal_settings, name="settings"),
    path("settings/<int:rooftop_id>/", views.deal_settings_update, name="settings-update"),
    path("settings/<int:rooftop_id>/fees/", views.fee_add, name="fee-add"),
    path("settings/<int:rooftop_id>/plans/", views.plan_add, name="plan-add"),
    path("tax-rules/", views.tax_rule_add, name="tax-rule-add"),
    path("tax-rules/<int:rule_id>/confirm/", views.tax_rule_confirm, name="tax-rule-confirm"),
    path("<int:pk>/", views.deal_detail, name="deal-detail"),
    path("<int:pk>/numbers/", views.deal_numbers_update, name="deal-numbers"),
    path("<int:pk>/lines/", views.deal_line_add, name="deal-line-add"),
    path("<int:pk>/lines/<int:line_id>/remove/", views.deal_line_remove, name="deal-line-remove"),
    path("<int:pk>/trades/", views.deal_trade_add, name="deal-trade-add"),
    path(
        "<int:pk>/trades/<int:trade_id>/remove/", views.deal_trade_remove, name="deal-trade-remove"
    ),
    path("<int:pk>/payments/", views.deal_payment, name="deal-payment"),
    path("<int:pk>/salespeople/", views.deal_salespeople, name="deal-salespeople"),
    path("<int:pk>/transition/", views.deal_transition, name="deal-transition"),
    path("<int:pk>/documents/<str:kind>/", views.deal_document, name="deal-document"),
]
