# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import html
import json
import logging
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL, format_date

from ..lib.guard import internal
from .common_portal import SupportPortalCommon

_logger = logging.getLogger(__name__)


class SupportForecastCommon(SupportPortalCommon):
    """Customer A's pack "Forecast pack" consumed 2 credits a week for the last
    8 weeks (and the fixtures' 6 credits of today)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pack = cls.data["a"]["pack"]
        internal(cls.pack).name = "Forecast pack"
        today = fields.Date.context_today(cls.pack)
        # 2 credits a week for the last 8 weeks
        for week in range(1, 9):
            cls._consume(cls.pack, 2.0, date=today - timedelta(weeks=week))


@tagged("post_install", "-at_install")
class TestSupportPackForecastPortal(SupportForecastCommon):
    """The forecast and the consumption chart on the portal: My support, the
    pack's page; My support reads them in batches (the same number of queries
    with 1 pack and with 20 packs of 5,000 moves each)."""

    def test_my_support_shows_forecast(self):
        pack = self.pack.with_context(lang="en_US")
        self.assertEqual(pack.forecast_state, "runs_out")
        # 16 credits over 8 weeks, and the fixtures' 6 credits of today
        self.assertEqual(pack.forecast_pace, 2.75)
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self.url_open("/my/support").text
        self.assertIn(pack.forecast_text, page)
        self.assertIn("o_support_forecast", page)
        page = self.url_open(f"/my/support/{pack.id}").text
        self.assertIn(pack.forecast_text, page)
        self.assertIn("o_support_pack_chart", page)
        # customer B reads its own pack, never A's figures
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self.url_open("/my/support").text
        self.assertNotIn("Forecast pack", page)
        response = self._get(f"/my/support/{pack.id}")
        self.assertEqual(response.status_code, 303)

    def test_chart_data_in_page(self):
        """The page carries the chart's figures: consumed against granted per
        week, the forecast up to the run-out date."""
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self.url_open(f"/my/support/{self.pack.id}").text
        data = json.loads(html.unescape(re.search(r'data-chart="([^"]*)"', page)[1]))
        pack = self.pack.with_context(lang="en_US")
        self.assertEqual(data, json.loads(json.dumps(pack._support_get_chart_data())))
        self.assertEqual(data["labels"][-1], format_date(pack.env, pack.forecast_date))
        consumed = [v for v in data["datasets"]["consumed"]["data"] if v is not None]
        self.assertEqual(consumed[-1], pack.quantity_consumed)
        forecast = [v for v in data["datasets"]["forecast"]["data"] if v is not None]
        self.assertEqual(forecast[0], pack.quantity_consumed)
        self.assertEqual(forecast[-1], pack.quantity_granted)

    def test_forecast_tour(self):
        """A customer with history in Chromium: the forecast sentence on My
        support and on the pack's page, and the chart drawn."""
        self.start_tour(
            "/my/support", "helpdesk_support_pack_forecast_tour", login="hsp-portal-a1"
        )

    def _count(self, url):
        self.env.flush_all()
        HttpCase.url_open(self, url)  # warm the caches of the server
        start = self.cr.sql_log_count
        response = HttpCase.url_open(self, url)
        count = self.cr.sql_log_count - start
        self.assertEqual(response.status_code, 200, url)
        return count

    def _add_moves(self, packs, count):
        """``count`` consumption moves of 0.01 on each pack, over the last 70
        days (one INSERT: the ledger's business methods would take minutes)."""
        today = fields.Date.context_today(self.pack)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO support_pack_move
                       (pack_id, partner_id, company_id, unit, move_type,
                        date, quantity, create_uid, write_uid, create_date,
                        write_date)
                SELECT pack.id, pack.partner_id, pack.company_id, pack.unit,
                       'consumption', %(today)s - mod(serie, 70), -0.01,
                       %(uid)s, %(uid)s, NOW(), NOW()
                  FROM support_pack pack, generate_series(1, %(count)s) serie
                 WHERE pack.id = ANY(%(ids)s)
                """,
                today=today,
                uid=self.env.uid,
                count=count,
                ids=packs.ids,
            )
        )
        self.env.invalidate_all()
        for fname in ("quantity_granted", "quantity_consumed", "quantity_remaining"):
            self.env.add_to_compute(packs._fields[fname], packs)
        packs.flush_recordset()

    def test_my_support_query_count(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        one = self._count("/my/support")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.contact_a1.id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create({"product_id": self.maxi.id}) for __ in range(19)
                ],
            }
        )
        order.action_confirm()
        packs = self.pack | order.support_pack_ids
        self.assertEqual(len(packs), 20)
        self._add_moves(packs, 5000)
        self.assertEqual(len(order.support_pack_ids[0].move_ids), 5001)
        self.assertEqual(order.support_pack_ids[0].quantity_remaining, 50.0)
        twenty = self._count("/my/support")
        _logger.info("My support query counts, 1 pack: %s, 20 packs: %s", one, twenty)
        self.assertEqual(twenty, one)


@tagged("post_install", "-at_install")
class TestSupportPackForecastForm(SupportForecastCommon):
    def test_pack_form_tour(self):
        """The pack form in Chromium: the forecast sentence, and the
        consumption chart drawn by the field widget."""
        self.start_tour(
            f"/odoo/action-helpdesk_support_pack.support_pack_action/{self.pack.id}",
            "helpdesk_support_pack_forecast_form_tour",
            login="hsp-pack-manager",
        )
