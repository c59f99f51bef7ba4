/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_journeys_tour.py): packs
// "Tour pending" (pending payment), "Tour hours" (10 h, 0.25 h consumed),
// "Tour old" (expired, 35 credits carried over to "Tour credits").
registry.category("web_tour.tours").add("helpdesk_support_pack_manager_tour", {
    steps: () => [
        {
            content: "The default filter shows the pending pack",
            trigger:
                ".o_searchview_facet:contains('Valid'):not(:has(.o_facet_value:contains('Active')))",
        },
        {
            content: "The pending pack is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour pending')",
        },
        {
            content: "Hours read as a duration with their unit",
            trigger: ".o_data_row:contains('Tour hours'):contains('09:45 h')",
        },
        {
            content: "Credits as a number with their unit",
            trigger: ".o_data_row:contains('Tour credits'):contains('135 credits')",
        },
        {
            content: "Switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The Pending payment column holds the pending pack",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Pending payment')) .o_kanban_record:contains('Tour pending')",
        },
        {
            content: "The kanban reads hours as on the list and the form",
            trigger:
                ".o_kanban_record:contains('Tour hours'):contains('Left:'):contains('09:45 h')",
        },
        {
            content: "Back to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the hour pack",
            trigger: ".o_data_row:contains('Tour hours') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Its ledger shows the rounded time as a duration",
            trigger:
                ".o_field_widget[name='move_ids'] .o_data_row:contains('Consumption') td[name='rounded_hours']:contains('00:15')",
        },
        {
            content: "Back to the packs",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Remove the default filter",
            trigger: ".o_searchview_facet:contains('Valid') .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the expired pack",
            trigger: ".o_data_row:contains('Tour old') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "It says what was carried over, and where",
            trigger:
                ".o_field_widget[name='expiry_outcome']:contains('35 credits carried over to Tour credits')",
        },
        {
            content: "Open the Consumption Analysis",
            trigger: "body",
            run: () => {
                window.location.href = "/odoo/support-consumption";
            },
            expectUnloadPage: true,
        },
        {
            content: "It is grouped by unit first",
            trigger: ".o_searchview_facet:contains('Unit')",
        },
    ],
});
