/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// Data created by the Python test (test_support_pack_forecast_portal.py):
// the pack "Forecast pack" with 8 weeks of consumption, opened on its form.
registry.category("web_tour.tours").add("helpdesk_support_pack_forecast_form_tour", {
    steps: () => [
        {
            content: "The form reads the forecast",
            trigger:
                ".o_field_widget[name='forecast_text']:contains('At this pace your balance runs out around')",
        },
        {
            content: "Open the consumption tab",
            trigger: ".o_notebook .nav-link:contains('Consumption')",
            run: "click",
        },
        {
            content: "The consumption chart is drawn",
            trigger: ".o_field_support_pack_chart .o_support_pack_chart canvas",
            run() {
                const canvas = document.querySelector(
                    ".o_field_support_pack_chart .o_support_pack_chart canvas"
                );
                if (!window.Chart || !window.Chart.getChart(canvas)) {
                    throw new Error("The consumption chart is not drawn");
                }
            },
        },
    ],
});
