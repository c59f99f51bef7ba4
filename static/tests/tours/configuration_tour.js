/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_configuration_portal.py).
registry.category("web_tour.tours").add("helpdesk_support_pack_configuration_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open My configuration",
            trigger: ".o_portal_index_card a[href='/my/configuration']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The application shows its current version and history",
            trigger:
                ".o_support_configuration_item:contains('Tour application'):contains('1.1-a') .o_support_delivery:contains('1.0-a')",
        },
        {
            content: "Ask for a new ticket",
            trigger: "body",
            run: () => {
                window.location.href = "/new/ticket";
            },
            expectUnloadPage: true,
        },
        {
            content: "A feature request",
            trigger: "input#request_type_feature",
            run: "click",
        },
        {
            content: "About the application",
            trigger:
                "#support_configuration_items .form-check:contains('Tour application') input",
            run: "click",
        },
        {
            content: "Subject",
            trigger: "input[name='subject']",
            run: "edit Tour feature request",
        },
        {
            content: "Description",
            trigger: "textarea[name='description']",
            run: "edit Export the sales to XLSX",
        },
        {
            content: "Submit",
            trigger: "button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is a feature request about the application",
            trigger:
                ".o_support_request_type:contains('Feature request') ~ .o_support_ticket_items:contains('Tour application')",
        },
    ],
});
