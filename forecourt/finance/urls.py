from django.urls import URLPattern, path

from forecourt.finance import views
from forecourt.finance.contracts import views as contracts
from forecourt.finance.credit import views as credit
from forecourt.finance.desking import views as desking

app_name = "finance"

urlpatterns: list[URLPattern] = [
    path("", contracts.queue, name="queue"),
    path("desk/", desking.desk, name="desk"),
    path("desk/disclosure.pdf", desking.disclosure_pdf, name="disclosure-pdf"),
    path("lease/", desking.lease, name="lease"),
    path("uk/", desking.uk, name="uk"),
    path("uk/proposal.pdf", desking.proposal_pdf, name="uk-proposal-pdf"),
    path("lenders/", views.lender_list, name="lender-list"),
    path("lenders/new/", views.lender_create, name="lender-create"),
    path("lenders/<int:pk>/", views.lender_detail, name="lender-detail"),
    path("products/", views.product_list, name="product-list"),
    path("products/new/", views.product_create, name="product-create"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("menus/", views.menu_list, name="menu-list"),
    path("menus/new/", views.menu_create, name="menu-create"),
    path("menus/<int:pk>/", views.menu_detail, name="menu-detail"),
    path("credit/", credit.application_list, name="credit-list"),
    path(
        "credit/customers/<int:customer_id>/new/",
        credit.application_create,
        name="credit-create",
    ),
    path("credit/<int:pk>/", credit.application_detail, name="credit-detail"),
    path("credit/<int:pk>/red-flags/", credit.record_red_flags, name="credit-red-flags"),
    path("credit/<int:pk>/decision/", credit.record_decision, name="credit-decision"),
    path("credit/<int:pk>/lender.pdf", credit.lender_pdf, name="credit-lender-pdf"),
    path("credit/applicants/<int:pk>/reveal/", credit.reveal, name="credit-reveal"),
]
