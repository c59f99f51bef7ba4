/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_agent_tour.py): a medium ticket of a
// customer holding a credit pack.
registry.category("web_tour.tours").add("helpdesk_support_pack_agent_tour", {
    steps: () => [
        {
            content: "Open the Timesheets tab",
            trigger: ".o_notebook_headers a:contains('Timesheets')",
            run: "click",
        },
        {
            content: "Add a line",
            trigger: "div[name='timesheet_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Type 7 minutes",
            trigger:
                "div[name='timesheet_ids'] .o_data_row td[name='unit_amount'] input",
            run: "edit 00:07",
        },
        {
            content: "Describe the work",
            trigger: "div[name='timesheet_ids'] .o_data_row td[name='name'] input",
            run: "edit Phone call",
        },
        {
            content: "Before saving, the cost reads 1 credit",
            trigger:
                "div[name='timesheet_ids'] .o_data_row td[name='support_preview_text']:contains('1 credit')",
        },
        {
            content: "Before saving, the time reads as rounded",
            trigger:
                "div[name='timesheet_ids'] .o_data_row td[name='support_preview_rounded_hours']:contains('00:15')",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket's consumption carries its unit",
            trigger: "div[name='support_quantity_text']:contains('1 credit')",
        },
        {
            content: "Send the intervention report",
            trigger: "button[name='action_support_send_report']",
            run: "click",
        },
        {
            content: "The agent reads to whom it went",
            trigger: ".o_notification:contains('a1@a.example.com')",
        },
    ],
});
