/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
// The new-ticket form lists the SLA targets of each urgency per team when the
// teams differ: show only those of the team picked, or of the default portal
// team while none is.
import publicWidget from "@web/legacy/js/public/public_widget";

publicWidget.registry.SupportNewTicketUrgency = publicWidget.Widget.extend({
    selector: "form[action='/submitted/ticket']",
    events: {
        "change select[name='team']": "_onTeamChange",
    },

    start() {
        this._showTeam();
        return this._super(...arguments);
    },

    _onTeamChange() {
        this._showTeam();
    },

    _showTeam() {
        const select = this.el.querySelector("select[name='team']");
        const teamId = select ? select.value : "";
        for (const line of this.el.querySelectorAll(".o_support_priority_sla_team")) {
            // "" is the default portal team's line: the team of a ticket
            // sent without picking one.
            line.classList.toggle("d-none", line.dataset.teamId !== teamId);
        }
    },
});

export default publicWidget.registry.SupportNewTicketUrgency;
