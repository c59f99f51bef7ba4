/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_release.py): a level 3 ticket
// whose fix is planned on the release of Wednesday 16 December, 20:00 (Paris),
// read by its customer in English ("Wed 16 Dec, 20:00") or French
// ("mer. 16 déc., 20:00").
registry.category("web_tour.tours").add("helpdesk_support_pack_release_tour", {
    steps: () => [
        {
            content: "The ticket says when its fix ships",
            trigger: ".o_support_release:contains('16'):contains('20:00')",
        },
        {
            content: "In the reader's language",
            trigger:
                ".o_support_release:contains('Fix planned for the release of Wed 16 Dec'), .o_support_release:contains('Correctif prévu pour la version du mer. 16 déc.')",
        },
    ],
});
