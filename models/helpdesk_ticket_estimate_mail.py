# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _support_send_estimate_mail(self):
        """Post the estimate to the customer with the editable mail template
        (Settings > Technical > Email Templates: "Helpdesk: estimate to
        approve"); a plain message when the template was deleted."""
        self.ensure_one()
        template = self.env.ref(
            "helpdesk_support_pack.mail_template_support_estimate",
            raise_if_not_found=False,
        )
        if template:
            return self.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.partner_id.ids,
            )
        return self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Estimate for ticket %(ticket)s: %(hours)s h. Please approve it "
                "so that we can start the work.",
                ticket=self.display_name,
                hours=format(self.support_estimate_hours, "g"),
            ),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
