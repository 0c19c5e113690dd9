from django.urls import URLPattern, path

from forecourt.purchasing import views
from forecourt.purchasing.condition import views as condition
from forecourt.purchasing.recon import views as recon
from forecourt.purchasing.stocking import views as stocking

app_name = "purchasing"

urlpatterns: list[URLPattern] = [
    path("", views.purchase_list, name="purchase-list"),
    path("new/", views.purchase_new, name="purchase-new"),
    path("<int:pk>/", views.purchase_detail, name="purchase-detail"),
    path("<int:pk>/payment/", views.purchase_payment, name="purchase-payment"),
    path("<int:pk>/invoice.pdf", views.purchase_pdf, name="purchase-pdf"),
    path("sellers/", views.seller_list, name="seller-list"),
    path("incoming/", views.incoming, name="incoming"),
    path("incoming/<int:pk>/", views.arrival_update, name="arrival-update"),
    # Floor plan
    path("floor-plan/", stocking.facility_list, name="facility-list"),
    path("floor-plan/<int:pk>/", stocking.facility_detail, name="facility-detail"),
    path("floor-plan/<int:pk>/rate/", stocking.facility_rate, name="facility-rate"),
    path("floor-plan/<int:pk>/statement/", stocking.statement_import, name="statement-import"),
    path("floor-plan/statements/<int:pk>/", stocking.statement_detail, name="statement-detail"),
    path(
        "floor-plan/floorings/<int:pk>/payment/", stocking.flooring_payment, name="flooring-payment"
    ),
    path("vehicles/<int:vehicle_id>/floor/", stocking.floor, name="floor-vehicle"),
    # Recon
    path("recon/", recon.recon_board, name="recon-board"),
    path("recon/numbers/", recon.recon_numbers, name="recon-numbers"),
    path("recon/stages/", recon.recon_stages, name="recon-stages"),
    path("recon/<int:pk>/", recon.recon_detail, name="recon-detail"),
    path("recon/<int:pk>/move/", recon.recon_move, name="recon-move"),
    path("recon/<int:pk>/work/", recon.work_item_add, name="work-item-add"),
    path("recon/work/<int:pk>/", recon.work_item_update, name="work-item-update"),
    path("vehicles/<int:vehicle_id>/recon/", recon.recon_start, name="recon-start"),
    # Appraisals and condition reports
    path("appraisals/", condition.appraisal_list, name="appraisal-list"),
    path("appraisals/<int:pk>/", condition.appraisal_detail, name="appraisal-detail"),
    path("appraisals/<int:pk>/decide/", condition.appraisal_decide, name="appraisal-decide"),
    path("vehicles/<int:vehicle_id>/condition/", condition.report_new, name="report-new"),
    path("condition-reports/<int:pk>/", condition.report_detail, name="report-detail"),
    path("condition-reports/<int:pk>/report.pdf", condition.report_pdf, name="report-pdf"),
    path(
        "condition-reports/<int:pk>/photos/<slug:marker_id>",
        condition.report_photo,
        name="report-photo",
    ),
    path(
        "condition-reports/<int:pk>/compare/<int:other_pk>/",
        condition.report_compare,
        name="report-compare",
    ),
]
