/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The consumption chart of a support pack, the same on the portal and on the
// pack's form: per week, the quantity consumed so far against the quantity
// granted, and the forecast dashed up to the day the balance runs out or the
// pack expires. The figures and labels come formatted from the server
// (support.pack._support_get_chart_data); Chart.js is Odoo's own
// (web.chartjs_lib), loaded by the caller.

export function supportPackChartConfig(data) {
    const {consumed, granted, forecast} = data.datasets;
    return {
        type: "line",
        data: {
            labels: data.labels,
            datasets: [
                {
                    label: granted.label,
                    data: granted.data,
                    borderColor: "#6c757d",
                    backgroundColor: "#6c757d",
                    stepped: true,
                    pointRadius: 0,
                    borderWidth: 2,
                },
                {
                    label: consumed.label,
                    data: consumed.data,
                    borderColor: "#0d6efd",
                    backgroundColor: "rgba(13, 110, 253, 0.15)",
                    fill: true,
                    pointRadius: 2,
                    borderWidth: 2,
                },
                {
                    label: forecast.label,
                    data: forecast.data,
                    borderColor: "#fd7e14",
                    backgroundColor: "#fd7e14",
                    borderDash: [6, 4],
                    spanGaps: true,
                    pointRadius: 0,
                    borderWidth: 2,
                },
            ],
        },
        options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: {mode: "index", intersect: false},
            scales: {
                y: {beginAtZero: true, title: {display: true, text: data.unit}},
            },
            plugins: {legend: {position: "bottom"}},
        },
    };
}
