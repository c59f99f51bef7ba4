# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from .common import SupportConsumptionCommon, patch_thread_dbname


class SupportPortalCommon(HttpCase, SupportConsumptionCommon):
    """Two customers with two portal contacts each, a pack, tickets with time
    logged, a closed ticket and an estimate to answer for each customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        patch_thread_dbname(cls)  # routing_map() under pytest-odoo
        cls.company.support_report_send = "manual"
        cls.contact_b2 = cls.env["res.partner"].create(
            {
                "name": "Bella B2",
                "parent_id": cls.customer_b.id,
                "email": "b2@b.example.com",
            }
        )
        cls.portal_users = {}
        for key, contact in (
            ("a1", cls.contact_a1),
            ("a2", cls.contact_a2),
            ("b1", cls.contact_b1),
            ("b2", cls.contact_b2),
        ):
            cls.portal_users[key] = new_test_user(
                cls.env,
                login=f"hsp-portal-{key}",
                groups="base.group_portal",
                partner_id=contact.id,
            )
        stage_model = cls.env["helpdesk.ticket.stage"]
        cls.stage_new = stage_model.create(
            {"name": "HSP New", "sequence": 0, "team_ids": [(6, 0, cls.team.ids)]}
        )
        cls.stage_done = stage_model.create(
            {
                "name": "HSP Done",
                "sequence": 90,
                "closed": True,
                "close_from_portal": True,
                "team_ids": [(6, 0, cls.team.ids)],
            }
        )
        cls.team.show_in_portal = True
        # SLA targets on the tickets: the pages show them.
        cls.env["helpdesk.sla"].search([]).write({"active": False})
        cls.team.use_sla = True
        for target, hours in (("first_response", 4), ("resolution", 16)):
            cls.env["helpdesk.sla"].create(
                {
                    "name": f"Portal {target}",
                    "target": target,
                    "priority": "1",
                    "hours": hours,
                    "use_calendar": False,
                    "team_ids": [(6, 0, cls.team.ids)],
                    "stage_id": cls.stage_done.id if target == "resolution" else False,
                }
            )
        cls.data = {}
        for key, contact in (("a", cls.contact_a2), ("b", cls.contact_b2)):
            __, pack = cls._sell(contact, cls.maxi)
            open_ticket = cls._ticket(
                partner=contact, name=f"Open {key.upper()} ticket secret-{key}"
            )
            cls._log(open_ticket, 50, name=f"Diagnosis secret-{key}")
            closed_ticket = cls._ticket(
                partner=contact, name=f"Closed {key.upper()} ticket secret-{key}"
            )
            cls._log(closed_ticket, 20, name=f"Fix secret-{key}")
            closed_ticket.sudo().stage_id = cls.stage_done
            estimate_ticket = cls._ticket(
                partner=contact,
                name=f"Estimate {key.upper()} ticket secret-{key}",
                category=cls.cat_estimate,
            )
            estimate_ticket.support_estimate_hours = 2.0
            estimate_ticket.with_user(cls.agent).action_support_send_estimate()
            cls.data[key] = {
                "pack": pack,
                "move": pack.move_ids[:1],
                "open": open_ticket,
                "closed": closed_ticket,
                "estimate": estimate_ticket,
            }
            for ticket in (open_ticket, closed_ticket, estimate_ticket):
                ticket.sudo()._portal_ensure_token()

    # Helpers ---------------------------------------------------------------
    def url_open(self, *args, **kwargs):
        # The request runs on the test cursor: the test sees what it wrote.
        self.env.flush_all()
        response = super().url_open(*args, **kwargs)
        self.env.invalidate_all()
        return response

    def _csrf(self):
        response = self.url_open("/web/login")
        return re.search(r'csrf_token: "([^"]+)"', response.text).group(1)

    def _post(self, url, data=None, csrf=True):
        # Never an empty body: url_open would send a GET.
        data = dict(data or {}, submit="1")
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open(url, data=data, allow_redirects=False)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _action_urls(self, key):
        tickets = self.data[key]
        return [
            f"/my/ticket/{tickets['closed'].id}/reopen?reason=x",
            f"/my/ticket/{tickets['closed'].id}/confirm",
            f"/my/ticket/{tickets['estimate'].id}/estimate/approve",
            f"/my/ticket/{tickets['estimate'].id}/estimate/refuse",
            f"/ticket/close?ticket_id={tickets['open'].id}"
            f"&stage_id={self.stage_done.id}",
        ]

    def _action_posts(self, key, token=None):
        tickets = self.data[key]
        extra = {"access_token": token} if token else {}
        return [
            (
                f"/my/ticket/{tickets['closed'].id}/reopen",
                dict(extra, reason="Not fixed"),
            ),
            (f"/my/ticket/{tickets['closed'].id}/confirm", extra),
            (f"/my/ticket/{tickets['estimate'].id}/estimate/approve", extra),
            (f"/my/ticket/{tickets['estimate'].id}/estimate/refuse", extra),
            (
                "/ticket/close",
                {"ticket_id": tickets["open"].id, "stage_id": self.stage_done.id},
            ),
        ]

    def _bodies(self, ticket):
        return " ".join(ticket.sudo().message_ids.mapped("body"))

    def _last_message(self, ticket, text):
        return ticket.sudo().message_ids.filtered(lambda m: text in m.body)[:1]

    @classmethod
    def _close_days_ago(cls, ticket, days):
        ticket.sudo().write(
            {"closed_date": fields.Datetime.now() - timedelta(days=days)}
        )

    def _snapshot(self, key):
        """Everything a portal action could change on a customer's data."""
        self.env.invalidate_all()
        data = self.data[key]
        tickets = data["open"] | data["closed"] | data["estimate"]
        partner = data["pack"].partner_id
        return {
            "tickets": tickets.sudo().read(
                [
                    "stage_id",
                    "closed_date",
                    "support_estimate_state",
                    "support_fix_confirmed_date",
                ]
            ),
            "messages": self.env["mail.message"]
            .sudo()
            .search_count(
                [("model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
            ),
            "ticket_count": self.env["helpdesk.ticket"]
            .sudo()
            .search_count([("partner_id", "child_of", partner.id)]),
            "moves": self.env["support.pack.move"]
            .sudo()
            .search_count([("partner_id", "=", partner.id)]),
        }
