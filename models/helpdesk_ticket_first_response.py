# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..lib.guard import internal


class HelpdeskTicketFirstResponse(models.Model):
    """First response: the first public reply of an internal user reaches the
    ticket's first response target."""

    _inherit = "helpdesk.ticket"

    # Mail ------------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self._is_first_response(msg_values):
            self._set_first_response(message.date or fields.Datetime.now())
        return res

    def _get_first_response_message_types(self):
        return ["comment"]

    def _is_first_response(self, msg_values):
        """A public reply (comment, not a note) of an internal user."""
        if len(self) != 1 or self.first_response_date:
            return False
        if msg_values.get("message_type") not in (
            self._get_first_response_message_types()
        ):
            return False
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        if msg_values.get("subtype_id") != comment:
            return False
        author = self.env["res.partner"].browse(msg_values.get("author_id"))
        if not author or author == self.env.ref("base.partner_root"):
            return False
        return any(not user.share for user in author.sudo().user_ids)

    def _set_first_response(self, date):
        self.ensure_one()
        # Posting needs read access only: the SLA bookkeeping follows anyway.
        ticket = internal(self)
        ticket.first_response_date = date
        ticket.ticket_sla_ids.filtered(
            lambda r: r.target == "first_response"
        )._reach_sla_target()
