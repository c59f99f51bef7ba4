/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_portal_tour.py).
registry.category("web_tour.tours").add("helpdesk_support_pack_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "The home shows the remaining balance",
            trigger: ".o_portal_index_card:contains('My support') .o_support_balance",
        },
        {
            content: "Open My support",
            trigger: ".o_portal_index_card a[href='/my/support']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the ledger of the pack",
            trigger: "a.o_support_pack_link:contains('Tour pack')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ledger lists the intervention of the closed ticket",
            trigger: ".o_support_ledger_row:contains('Tour closed ticket')",
        },
        {
            content: "The statement can be downloaded",
            trigger: "a.o_support_statement_pdf",
        },
        {
            content: "Open the closed ticket from the ledger",
            trigger: ".o_support_ledger_row a:contains('Tour closed ticket')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Give the reason",
            trigger: ".o_support_reopen_form textarea[name='reason']",
            run: "edit The printer is still offline",
        },
        {
            content: "Reopen the ticket",
            trigger: "button.o_support_reopen",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is reopened",
            trigger: ".o_support_alert.alert-success",
        },
        {
            content: "Back to the tickets",
            trigger: "a[href^='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the ticket with an estimate",
            trigger: "a:contains('Tour estimate ticket')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content:
                "Before approving, the page says what will be left (or the overdraft)",
            trigger: ".o_support_estimate div:contains('Approving it uses')",
        },
        {
            content: "Approve the estimate",
            trigger: "button.o_support_estimate_approve",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The estimate is approved",
            trigger: ".o_support_estimate_state:contains('Approved')",
        },
    ],
});
