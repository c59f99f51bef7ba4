/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_pack_forecast_portal.py):
// a customer with 8 weeks of consumption on its pack.
registry.category("web_tour.tours").add("helpdesk_support_pack_forecast_tour", {
    url: "/my/support",
    steps: () => [
        {
            content: "My support tells when the customer's balance runs out",
            trigger:
                ".o_support_forecast:contains('At this pace your balance runs out around')",
        },
        {
            content: "The pack's row has its own forecast",
            trigger:
                ".o_support_pack_row:contains('Forecast pack') .o_support_pack_forecast:contains('At this pace')",
        },
        {
            content: "Open the pack",
            trigger: "a.o_support_pack_link:contains('Forecast pack')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The pack's page reads the forecast",
            trigger: ".alert.o_support_pack_forecast:contains('runs out around')",
        },
        {
            content: "The consumption chart is drawn (Chart.js loaded lazily)",
            trigger: ".o_support_pack_chart_ready canvas",
            run() {
                const canvas = document.querySelector(".o_support_pack_chart canvas");
                if (!window.Chart || !window.Chart.getChart(canvas)) {
                    throw new Error("The consumption chart is not drawn");
                }
            },
        },
    ],
});
