/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_portal_urgency_tour.py).
registry.category("web_tour.tours").add("helpdesk_support_pack_urgency_tour", {
    url: "/new/ticket",
    steps: () => [
        {
            content: "Medium is the default urgency",
            trigger: "input[name='priority'][value='1']:checked",
        },
        {
            content: "The urgent level tells its cost",
            trigger:
                ".o_support_priority_level[data-priority='3'] .o_support_priority_cost:contains('2 credits per started quarter-hour')",
        },
        {
            content: "The urgent level tells its SLA targets",
            trigger:
                ".o_support_priority_level[data-priority='3'] .o_support_priority_sla:contains('Resolution: 4 h')",
        },
        {
            content: "Declare the ticket urgent",
            trigger: "input[name='priority'][value='3']",
            run: "click",
        },
        {
            content: "Subject",
            trigger: "input[name='subject']",
            run: "edit Tour urgent ticket",
        },
        {
            content: "Description",
            trigger: "textarea[name='description']",
            run: "edit Nobody can log in",
        },
        {
            content: "Submit",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page shows its SLA targets at once",
            trigger: ".o_support_sla:contains('Tour urgent resolution')",
        },
    ],
});
