/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_journeys_tour.py): the
// customer "Tour Campus" with a new 20-credit pack "Tour pack".
registry.category("web_tour.tours").add("helpdesk_support_pack_sales_tour", {
    steps: () => [
        {
            content: "The balance is a visible smart button (not under More)",
            trigger:
                ".o-form-buttonbox > button[name='action_view_support_packs']:contains('Support left'):contains('20.00'):contains('credits')",
        },
        {
            content: "Open the Support tab",
            trigger: ".o_notebook .nav-link:contains('Support')",
            run: "click",
        },
        {
            content: "The tab lists the customer's packs, with their unit",
            trigger:
                ".o_field_widget[name='support_customer_pack_ids'] .o_data_row:contains('Tour pack'):contains('20 credits')",
        },
        {
            content: "Open the packs",
            trigger: ".o-form-buttonbox > button[name='action_view_support_packs']",
            run: "click",
        },
        {
            content: "The customer's packs",
            trigger: ".o_breadcrumb .active:contains('Support Packs')",
        },
        {
            content: "Open the pack",
            trigger:
                ".o_list_view .o_data_row:contains('Tour pack') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "A new full pack: Renew is not the main button",
            trigger:
                ".o_form_statusbar button[name='action_renew'].btn-secondary:not(.btn-primary)",
        },
        {
            content: "The purchase row shows no time nor multiplier",
            trigger:
                ".o_field_widget[name='move_ids'] .o_data_row:contains('Purchase'):not(:has(td[name='rounded_hours'] .o_field_widget)):not(:has(td[name='multiplier'] .o_field_widget))",
        },
        {
            content: "Log a note",
            trigger: "button.o-mail-Chatter-logNote",
            run: "click",
        },
        {
            content: "Write the note",
            trigger: ".o-mail-Composer-input",
            run: "edit Customer will order 40 credits in June",
        },
        {
            content: "Send it",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The note is on the pack",
            trigger:
                ".o-mail-Message:contains('Customer will order 40 credits in June')",
        },
    ],
});
