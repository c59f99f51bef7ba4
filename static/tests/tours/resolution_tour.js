/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_resolution.py): a closed
// ticket with its resolution, read by its customer (English and French).
registry.category("web_tour.tours").add("helpdesk_support_pack_resolution_tour", {
    steps: () => [
        {
            content: "The closed ticket shows its resolution",
            trigger: ".o_support_resolution h5",
        },
        {
            content: "What was wrong and what was done",
            trigger:
                ".o_support_resolution_text:contains('The toner cartridge was empty')",
        },
        {
            content: "The customer may still reopen it",
            trigger: "button.o_support_reopen",
        },
    ],
});
