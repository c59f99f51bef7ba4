# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, timedelta

from freezegun import freeze_time
from markupsafe import escape

from odoo.tests import tagged
from odoo.tools import format_date

from ..lib.guard import internal
from .common import SupportPackCommon

TODAY = date(2027, 3, 1)


@tagged("post_install", "-at_install")
class TestSupportPackForecast(SupportPackCommon):
    """The pack's future: pace of the last 8 weeks (consumption moves only),
    the run-out date or what is left at expiry, "not enough history" under 2
    weeks; per pack and for the customer as a whole."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pack_40 = cls._create_pack_product("PACK 40", "credit", 40, 800.0)
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_support_pack"], ["fr_FR"]
        )

    def _sell_on(self, day, product=None, partner=None):
        with freeze_time(day):
            __, pack = self._sell(partner or self.contact_a1, product or self.pack_40)
        return pack

    def _weekly(self, pack, quantity=2.0, weeks=8):
        """``quantity`` consumed each week for the last ``weeks`` weeks."""
        for week in range(1, weeks + 1):
            self._consume(pack, quantity, date=TODAY - timedelta(weeks=week))

    def _read(self, pack, lang="en_US"):
        with freeze_time(TODAY):
            pack = pack.with_context(lang=lang, tz="Europe/Paris")
            pack.invalidate_recordset()
            return {
                "state": pack.forecast_state,
                "pace": pack.forecast_pace,
                "date": pack.forecast_date,
                "left": pack.forecast_left_at_expiry,
                "text": pack.forecast_text,
            }

    def test_runs_out(self):
        """40 credits valid to 2027-12-01, 2 credits a week for 8 weeks: 24
        left on 2027-03-01, running out around 2027-05-24 (12 weeks)."""
        pack = self._sell_on("2026-12-02")
        self.assertEqual(pack.date_end, date(2027, 12, 1))
        self._weekly(pack)
        self.assertEqual(pack.quantity_remaining, 24.0)
        forecast = self._read(pack)
        self.assertEqual(forecast["state"], "runs_out")
        self.assertEqual(forecast["pace"], 2.0)
        self.assertEqual(forecast["date"], date(2027, 5, 24))
        self.assertEqual(forecast["left"], 0.0)
        self.assertEqual(
            forecast["text"],
            "At this pace your balance runs out around 05/24/2027.",
        )
        french = self._read(pack, "fr_FR")
        fr_date = format_date(self.env(context={"lang": "fr_FR"}), date(2027, 5, 24))
        self.assertEqual(fr_date, "24/05/2027")
        self.assertEqual(
            french["text"], "À ce rythme, votre solde sera épuisé vers le 24/05/2027."
        )

    def test_left_at_expiry(self):
        """The same pack valid up to and including 2027-05-01: 62 days (8.86
        weeks) at 2 a week is 17.7; 24 - 17.7 rounds to 6 credits."""
        pack = self._sell_on("2026-05-02")
        self.assertEqual(pack.date_end, date(2027, 5, 1))
        self._weekly(pack)
        self.assertEqual(pack.quantity_remaining, 24.0)
        forecast = self._read(pack)
        self.assertEqual(forecast["state"], "expires")
        self.assertEqual(forecast["pace"], 2.0)
        self.assertEqual(forecast["date"], date(2027, 5, 1))
        self.assertEqual(forecast["left"], 6.0)
        self.assertEqual(
            forecast["text"],
            "At this pace about 6 credits will be left when the pack expires "
            "on 05/01/2027.",
        )
        self.assertEqual(
            self._read(pack, "fr_FR")["text"],
            "À ce rythme, il restera environ 6 crédits à l'expiration du pack le "
            "01/05/2027.",
        )

    def test_not_enough_history(self):
        """Under 2 weeks of consumption (first one 13 days ago): no forecast."""
        pack = self._sell_on("2026-12-02")
        self._consume(pack, 5.0, date=TODAY - timedelta(days=13))
        self._consume(pack, 5.0, date=TODAY)
        forecast = self._read(pack)
        self.assertEqual(forecast["state"], "history")
        self.assertEqual(forecast["pace"], 0.0)
        self.assertFalse(forecast["date"])
        self.assertEqual(forecast["text"], "Not enough history yet for a forecast.")
        fresh = self._sell_on("2026-12-02", product=self.light)
        self.assertEqual(self._read(fresh)["state"], "history")

    def test_pace_since_first_consumption(self):
        """First consumption 3 weeks ago: 9 credits over 3 weeks, 3 a week;
        included work (nothing consumed), purchases and adjustments are not
        the pace."""
        pack = self._sell_on("2026-12-02")
        self._consume(pack, 0.0, date=TODAY - timedelta(weeks=7))  # included
        self._weekly(pack, quantity=3.0, weeks=3)
        internal(self.env["support.pack.move"]).create(
            pack._prepare_move_values(
                "adjustment", -10.0, date=TODAY - timedelta(weeks=1), note="Gift"
            )
        )
        self.assertEqual(pack.quantity_remaining, 21.0)
        forecast = self._read(pack)
        self.assertEqual(forecast["pace"], 3.0)
        # 21 / 3 = 7 weeks
        self.assertEqual(forecast["date"], TODAY + timedelta(weeks=7))

    def test_window_of_8_weeks(self):
        """Consumption older than 8 weeks is out of the pace: 9 weeks ago,
        10 credits; then 2 a week: pace 16 / 8 = 2."""
        pack = self._sell_on("2026-12-02")
        self._consume(pack, 10.0, date=TODAY - timedelta(weeks=9))
        self._weekly(pack)
        forecast = self._read(pack)
        self.assertEqual(forecast["pace"], 2.0)
        # 14 left: 7 weeks
        self.assertEqual(forecast["date"], TODAY + timedelta(weeks=7))

    def test_customer_as_a_whole(self):
        """Per unit: the active packs' balances summed, the customer's pace,
        the last expiry as the end. 24 + 20 credits at 2 a week: 22 weeks,
        2027-08-02, before the last expiry (2027-12-01; the LIGHT pack ends on
        2027-05-01 but a renewal carries its balance over)."""
        pack = self._sell_on("2026-12-02")
        self._weekly(pack)
        self._sell_on("2026-05-02", product=self.light)
        with freeze_time(TODAY):
            forecasts = (
                self.env["support.pack"]
                .with_context(lang="en_US")
                ._support_get_customer_forecasts(self.customer_a)
            )
        self.assertEqual(len(forecasts), 1)
        [credits] = forecasts
        self.assertEqual(credits["unit"], "credit")
        self.assertEqual(credits["pace"], 2.0)
        # 44 credits at 2 a week: 22 weeks
        self.assertEqual(credits["date"], TODAY + timedelta(weeks=22))
        self.assertEqual(
            credits["text"],
            "At this pace your balance runs out around 08/02/2027.",
        )
        # nothing for a customer without active pack
        with freeze_time(TODAY):
            self.assertEqual(
                self.env["support.pack"]._support_get_customer_forecasts(
                    self.customer_b
                ),
                [],
            )

    def test_chart_data(self):
        """The chart: per week, consumed and granted so far, the forecast from
        this week to the run-out date (one query grouped per week)."""
        pack = self._sell_on("2026-12-02")
        self._weekly(pack)
        with freeze_time(TODAY):
            pack = pack.with_context(lang="fr_FR")
            pack.invalidate_recordset()
            # computed, and the language read, before counting
            pack._support_get_chart_data()
            with self.assertQueryCount(1):
                data = pack._support_get_chart_data()
        consumed = [v for v in data["datasets"]["consumed"]["data"] if v is not None]
        self.assertEqual(consumed[0], 0.0)
        self.assertEqual(consumed[-1], 16.0)
        self.assertEqual(set(data["datasets"]["granted"]["data"]), {40.0})
        forecast = [v for v in data["datasets"]["forecast"]["data"] if v is not None]
        self.assertEqual(forecast[0], 16.0)
        self.assertEqual(forecast[-1], 40.0)
        self.assertEqual(data["labels"][-1], "24/05/2027")
        self.assertEqual(len(data["labels"]), len(forecast) + len(consumed) - 1)

    def test_statement_email_and_customer(self):
        """The statement and the low balance email read the pack's forecast in
        the customer's language; the customer's smart button in a few words."""
        pack = self._sell_on("2026-05-02")
        self._weekly(pack)
        self.customer_a.lang = "fr_FR"
        report = self.env["report.helpdesk_support_pack.report_support_pack_statement"]
        template = self.env.ref(
            "helpdesk_support_pack.mail_template_support_pack_low_balance"
        )
        with freeze_time(TODAY):
            statement = report._get_report_values(pack.ids)["statements"][pack.id]
            body = template._render_field("body_html", pack.ids, compute_lang=True)[
                pack.id
            ]
            button = self.customer_a.with_user(self.pack_manager).with_context(
                lang="en_US"
            )
            short = button.support_forecast_text
        french = self._read(pack, "fr_FR")["text"]
        self.assertIn("01/05/2027", french)
        self.assertEqual(statement["forecast"], french)
        self.assertIn(str(escape(french)), str(body))
        self.assertEqual(short, "About 6 credits left on 05/01/2027")

    def test_hours_and_customer_per_unit(self):
        """Hours carry their unit, and the customer reads one forecast per
        unit: 10 h valid to 2027-05-01, 0.5 h a week for 8 weeks, 6 h left:
        6 - 0.5 × 62 / 7 = 1.6, about 2 h at expiry; credits apart."""
        tma = self._create_pack_product("TMA 10 h now", "hour", 10, 900.0)
        hours = self._sell_on("2026-05-02", product=tma)
        self._weekly(hours, quantity=0.5)
        credits = self._sell_on("2026-12-02")
        self._weekly(credits)
        forecast = self._read(hours)
        self.assertEqual(forecast["pace"], 0.5)
        self.assertEqual(forecast["left"], 2.0)
        self.assertEqual(
            forecast["text"],
            "At this pace about 2 h will be left when the pack expires on 05/01/2027.",
        )
        with freeze_time(TODAY):
            whole = (
                self.env["support.pack"]
                .with_context(lang="en_US")
                ._support_get_customer_forecasts(self.customer_a)
            )
        self.assertEqual([f["unit"] for f in whole], ["credit", "hour"])
        self.assertEqual(
            whole[1]["text"],
            "At this pace about 2 h will be left when your last pack expires on "
            "05/01/2027.",
        )
        self.assertEqual(whole[0]["date"], date(2027, 5, 24))
