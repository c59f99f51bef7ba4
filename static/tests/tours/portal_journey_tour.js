/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import {registry} from "@web/core/registry";

// The customer's journey (issue 23), in English and in French: send a ticket
// without picking a team, read its urgency, deadlines and confirmation, then
// renew automatically and buy more support from a low balance. Data:
// test_support_portal_journey_tour.py.
function journeySteps(texts) {
    return [
        {
            content: "The medium level lists the default team's targets only",
            trigger: `.o_support_priority_level[data-priority='1'] .o_support_priority_sla:contains('${texts.resolution}')`,
        },
        {
            content: "Medium is the default urgency",
            trigger: "input[name='priority'][value='1']:checked",
        },
        {
            content: "Subject",
            trigger: "input[name='subject']",
            run: `edit ${texts.subject}`,
        },
        {
            content: "Description",
            trigger: "textarea[name='description']",
            run: "edit The invoices page takes a minute to open",
        },
        {
            content: "Send the ticket",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket is received, with its first answer's deadline",
            trigger: texts.received
                ? `.o_support_alert.alert-success:contains('${texts.received}')`
                : ".o_support_alert.alert-success",
        },
        {
            content: "The urgency chosen is shown",
            trigger: `.o_support_urgency:contains('${texts.urgency}')`,
        },
        {
            content: "The deadlines are shown in the customer's language",
            trigger: ".o_support_sla_deadline",
            run() {
                for (const node of document.querySelectorAll(
                    ".o_support_sla_deadline"
                )) {
                    if (!texts.deadline.test(node.textContent.trim())) {
                        throw new Error(`Deadline not localized: ${node.textContent}`);
                    }
                }
                window.location.href = "/my/support";
            },
            expectUnloadPage: true,
        },
        {
            content: "A low balance is a warning",
            trigger: ".o_support_balance.alert-warning .o_support_balance_low",
        },
        {
            content: "Renewing automatically is off",
            trigger: ".o_support_auto_renew .o_support_auto_renew_off",
        },
        {
            content: "Have the quotation sent at each dip",
            trigger: ".o_support_auto_renew_form select[name='mode']",
            run: "select send",
        },
        {
            content: "Renew automatically",
            trigger: "button.o_support_auto_renew_start",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The change is confirmed",
            trigger: ".o_support_alert.alert-success",
        },
        {
            content: "The automatic renewal is on: the quotation will be sent",
            trigger:
                ".o_support_auto_renew[data-auto-renew='1'] .o_support_auto_renew_send",
        },
        {
            content: "Buy more support",
            trigger: "button.o_support_buy",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's own quotation page opens, to sign and pay",
            trigger: "#quote_content #portal_sale_content",
        },
    ];
}

registry.category("web_tour.tours").add("helpdesk_support_pack_customer_journey_tour", {
    url: "/new/ticket",
    steps: () =>
        journeySteps({
            resolution: "Resolution: 16 h",
            subject: "Journey ticket EN",
            received: "Ticket received, first answer due by",
            urgency: "Medium",
            // "Dec 5, 2026, 2:04 PM"
            deadline: /\d{4}, \d{1,2}:\d{2}\s(AM|PM)$/,
        }),
});

registry
    .category("web_tour.tours")
    .add("helpdesk_support_pack_customer_journey_tour_fr", {
        url: "/new/ticket",
        steps: () =>
            journeySteps({
                resolution: "Résolution : 16 h",
                subject: "Journey ticket FR",
                received: "Ticket reçu, première réponse attendue",
                urgency: "Moyenne",
                // "5 déc. 2026, 14:04"
                deadline: /^\d{1,2} \S+ \d{4}(,| à) \d{2}:\d{2}$/,
            }),
    });
