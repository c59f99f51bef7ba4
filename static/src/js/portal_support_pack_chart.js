/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The consumption chart of a pack on the portal (My support, the pack's
// page): its figures are in the element's data-chart attribute.
import {loadBundle} from "@web/core/assets";
import publicWidget from "@web/legacy/js/public/public_widget";
import {supportPackChartConfig} from "@helpdesk_support_pack/js/support_pack_chart";

publicWidget.registry.SupportPackChart = publicWidget.Widget.extend({
    selector: ".o_support_pack_chart",

    async start() {
        await this._super(...arguments);
        await loadBundle("web.chartjs_lib");
        const canvas = this.el.querySelector("canvas");
        const data = JSON.parse(this.el.dataset.chart);
        this.chart = new window.Chart(canvas, supportPackChartConfig(data));
        this.el.classList.add("o_support_pack_chart_ready");
    },

    destroy() {
        if (this.chart) {
            this.chart.destroy();
        }
        this._super(...arguments);
    },
});

export default publicWidget.registry.SupportPackChart;
