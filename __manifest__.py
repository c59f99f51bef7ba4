# Copyright 2026 helpdesk_support_pack authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Helpdesk Support Packs",
    "summary": "Prepaid support packs of hours or credits sold on quotations, "
    "consumed by helpdesk timesheets, with an append-only ledger",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "category": "After-Sales",
    "author": "helpdesk_support_pack authors",
    "website": "https://github.com/helpdesk-support-pack/helpdesk_support_pack",
    "depends": [
        "helpdesk_mgmt",
        "helpdesk_mgmt_timesheet",
        "helpdesk_mgmt_sla",
        "sale_management",
    ],
    "data": [
        "security/helpdesk_support_pack_groups.xml",
        "security/support_pack_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/product_product_data.xml",
        "views/support_pack_move_views.xml",
        "views/support_pack_views.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_ticket_category_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/account_analytic_line_views.xml",
        "wizards/support_pack_adjust_views.xml",
        "views/helpdesk_support_pack_menus.xml",
    ],
    "demo": [
        "demo/product_product_demo.xml",
        "demo/sale_order_demo.xml",
        "demo/helpdesk_ticket_category_demo.xml",
    ],
    "installable": True,
    "application": False,
}
