/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The consumption chart on the pack's form: a widget of the computed field
// forecast_chart_data (support.pack).
import {Component, onWillStart, useEffect, useRef} from "@odoo/owl";
import {loadBundle} from "@web/core/assets";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";
import {supportPackChartConfig} from "@helpdesk_support_pack/js/support_pack_chart";

export class SupportPackChartField extends Component {
    static template = "helpdesk_support_pack.SupportPackChartField";
    static props = {...standardFieldProps};

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        onWillStart(async () => await loadBundle("web.chartjs_lib"));
        useEffect(() => {
            this.renderChart();
            return () => this.chart && this.chart.destroy();
        });
    }

    get data() {
        return this.props.record.data[this.props.name];
    }

    get hasData() {
        return Boolean(this.data && this.data.labels && this.data.labels.length);
    }

    renderChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
        if (this.hasData) {
            this.chart = new window.Chart(
                this.canvasRef.el,
                supportPackChartConfig(this.data)
            );
        }
    }
}

export const supportPackChartField = {
    component: SupportPackChartField,
    supportedTypes: ["json"],
};

registry.category("fields").add("support_pack_chart", supportPackChartField);
