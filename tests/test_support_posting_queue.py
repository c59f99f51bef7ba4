# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import time
from datetime import date
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..lib.guard import internal
from ..lib.locking import PackBusy
from ..models.queue.support_queue_mixin import MAX_ATTEMPTS
from .common import SupportConsumptionCommon

POSTING_CRON = "helpdesk_support_pack.ir_cron_support_posting_queue"
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
LOGGERS = (
    "odoo.addons.helpdesk_support_pack.models.queue.support_posting_queue",
    "odoo.addons.helpdesk_support_pack.models.queue.support_queue_mixin",
    "odoo.sql_db",
)


@tagged("post_install", "-at_install")
class TestSupportPostingQueue(TransactionCase):
    """A pack another transaction is posting on: the agent's call succeeds,
    the posting is queued, then done after the commit (or by the cron).

    Real transactions on committed data (a TransactionCase cannot commit its
    own): the fixtures are committed in setUpClass and removed afterwards.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            company = env.company
            # the company defaults: 15-minute periods, very high x2
            assert company.support_rounding_minutes == 15
            assert company.support_multiplier_very_high == 2.0
            agent = new_test_user(
                env,
                login="hsp-queue-agent",
                groups="helpdesk_mgmt.group_helpdesk_user,"
                "hr_timesheet.group_hr_timesheet_user",
                name="Quinn Queue",
            )
            employee = env["hr.employee"].create(
                {"name": "Quinn Queue", "user_id": agent.id}
            )
            project = env["project.project"].create(
                {"name": "Queue support", "allow_timesheets": True}
            )
            team = env["helpdesk.ticket.team"].create(
                {
                    "name": "Queue team",
                    "allow_timesheet": True,
                    "default_project_id": project.id,
                    "user_ids": [Command.set(agent.ids)],
                }
            )
            category = env["helpdesk.ticket.category"].create(
                {"name": "Queue usage", "support_coverage": "counted"}
            )
            customer = env["res.partner"].create(
                {"name": "Busy Campus (queue test)", "is_company": True}
            )
            product = env["product.product"].create(
                {
                    "name": "Queue pack",
                    "type": "service",
                    "support_pack_ok": True,
                    "support_pack_unit": "credit",
                    "support_pack_quantity": 10,
                }
            )
            pack = internal(env["support.pack"]).create(
                {
                    "partner_id": customer.id,
                    "product_id": product.id,
                    "unit": "credit",
                    "validity_months": 12,
                    "state": "active",
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2026, 12, 31),
                }
            )
            internal(env["support.pack.move"]).create(
                pack._prepare_move_values("purchase", 10.0, date=date(2026, 1, 1))
            )
            cls.ids = {
                "agent": agent.id,
                "employee": employee.id,
                "project": project.id,
                "team": team.id,
                "category": category.id,
                "customer": customer.id,
                "product": product.id,
                "pack": pack.id,
                "tickets": [],
            }
        cls.addClassCleanup(cls._remove_fixtures)

    def setUp(self):
        """Each test on a committed ticket of its own (very high: x2)."""
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Urgent help (queue test)",
                    "description": "<p>Help</p>",
                    "team_id": self.ids["team"],
                    "project_id": self.ids["project"],
                    "partner_id": self.ids["customer"],
                    "priority": "3",
                    "category_id": self.ids["category"],
                    "user_id": self.ids["agent"],
                }
            )
            self.ticket_id = ticket.id
            self.ids["tickets"].append(ticket.id)
        self.balance_before = self._state()[0]

    @classmethod
    def _remove_fixtures(cls):
        ids = cls.ids
        with cls.registry.cursor() as cr:
            # the ledger is append-only for the ORM: the test's rows go by SQL
            cr.execute(
                SQL(
                    "DELETE FROM support_posting_queue WHERE create_uid = %s",
                    ids["agent"],
                )
            )
            cr.execute(
                SQL(
                    "DELETE FROM support_pack_move WHERE partner_id = %s",
                    ids["customer"],
                )
            )
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            env["account.analytic.line"].search(
                [("ticket_id", "in", ids["tickets"])]
            ).unlink()
            env["helpdesk.ticket"].browse(ids["tickets"]).unlink()
            env["support.pack"].browse(ids["pack"]).unlink()
            product = env["product.product"].browse(ids["product"])
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["helpdesk.ticket.team"].browse(ids["team"]).unlink()
            env["helpdesk.ticket.category"].browse(ids["category"]).unlink()
            env["project.project"].browse(ids["project"]).unlink()
            env["hr.employee"].browse(ids["employee"]).unlink()
            env["res.users"].browse(ids["agent"]).unlink()
            env["res.partner"].browse(ids["customer"]).unlink()

    # ------------------------------------------------------------------
    def _agent_env(self, cr):
        return api.Environment(cr, self.ids["agent"], {})

    def _log(self, env, minutes):
        ticket = env["helpdesk.ticket"].browse(self.ticket_id)
        return env["account.analytic.line"].create(
            {
                "name": "Work",
                "ticket_id": ticket.id,
                "project_id": self.ids["project"],
                "unit_amount": minutes / 60.0,
                "date": date(2026, 6, 1),
            }
        )

    def _state(self):
        """(pack balance, moves of this test's ticket as (type, quantity,
        user), queued entries), read in a new transaction."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            pack = env["support.pack"].browse(self.ids["pack"])
            moves = env["support.pack.move"].search(
                [("ticket_id", "=", self.ticket_id)], order="id"
            )
            return (
                pack.quantity_remaining,
                [(m.move_type, m.quantity, m.user_id.id) for m in moves],
                env["support.posting.queue"].search_count([]),
            )

    def _hold_pack(self, cr):
        """Another transaction posting on the pack: it holds the pack's row."""
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["support.pack"]._lock_for_consumption([self.ids["customer"]])

    # ------------------------------------------------------------------
    def test_nowait_lock_busy_then_usable(self):
        """Locked elsewhere, or updated by a transaction that committed after
        this one's snapshot: PackBusy at once, and the transaction goes on."""
        customer = self.ids["customer"]
        with self.registry.cursor() as holder, self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self._hold_pack(holder)
            with self.assertRaises(PackBusy):
                env["support.pack"]._lock_for_consumption([customer], nowait=True)
            cr.execute("SELECT 1")  # still usable: not an aborted transaction
            holder.rollback()
            rows = env["support.pack"]._lock_for_consumption([customer], nowait=True)
            self.assertEqual([row["id"] for row in rows], [self.ids["pack"]])
            cr.rollback()

            # REPEATABLE READ: this transaction's snapshot predates a posting
            # another one commits on the pack.
            env["res.partner"].browse(customer).read(["name"])
            with self.registry.cursor() as other:
                other_env = api.Environment(other, SUPERUSER_ID, {})
                pack = other_env["support.pack"].browse(self.ids["pack"])
                internal(other_env["support.pack.move"]).create(
                    pack._prepare_move_values(
                        "adjustment", 1.0, note="queue test", date=date(2026, 2, 1)
                    )
                )
            with self.assertRaises(PackBusy):
                env["support.pack"]._lock_for_consumption([customer], nowait=True)
            cr.execute("SELECT 1")
            cr.rollback()
        balance, moves, queued = self._state()
        self.assertEqual(balance, self.balance_before + 1.0)
        self.assertEqual(queued, 0)

    def test_busy_pack_queues_then_posts_after_commit(self):
        """7 minutes on a very high ticket while another transaction holds the
        pack: the agent's call succeeds, nothing posted yet; after the commit
        the queued posting records 0.25 h x 2 = 2 credits, as the agent."""
        agent = self.ids["agent"]
        with self.registry.cursor() as holder:
            self._hold_pack(holder)
            with (
                mute_logger(*LOGGERS),
                self.registry.cursor() as cr,
            ):
                env = self._agent_env(cr)
                line = self._log(env, 7)
                line_id = line.id
                self.assertFalse(line.sudo().support_move_ids)
                self.assertEqual(line.support_quantity, 0.0)
                entries = env["support.posting.queue"].sudo().search([])
                self.assertEqual(entries.timesheet_id, line)
                # the holder ends before this call's commit
                holder.rollback()
            # committed: the after-commit processing has posted it
        balance, moves, queued = self._state()
        self.assertEqual(queued, 0)
        self.assertEqual(balance, self.balance_before - 2.0)
        self.assertEqual(moves, [("consumption", -2.0, agent)])
        with self.registry.cursor() as cr:
            line = api.Environment(cr, SUPERUSER_ID, {})[
                "account.analytic.line"
            ].browse(line_id)
            self.assertEqual(
                (
                    line.support_rounded_hours,
                    line.support_multiplier,
                    line.support_quantity,
                ),
                (0.25, 2.0, 2.0),
            )

    def test_busy_pack_on_edit_and_delete(self):
        """Edit (7 -> 20 min) and delete while the pack is busy: both calls
        succeed, and the ledger ends equal to the timesheets."""
        with self.registry.cursor() as cr:
            line = self._log(self._agent_env(cr), 7)
            line_id = line.id
        self.assertEqual(self._state()[0], self.balance_before - 2.0)
        # edit: 20 min -> 0.5 h x 2 = 4 credits
        with self.registry.cursor() as holder:
            self._hold_pack(holder)
            with mute_logger(*LOGGERS), self.registry.cursor() as cr:
                line = self._agent_env(cr)["account.analytic.line"].browse(line_id)
                line.write({"unit_amount": 20 / 60.0})
                self.assertEqual(line.support_quantity, 2.0)  # not reposted yet
                holder.rollback()
        balance, moves, queued = self._state()
        self.assertEqual((balance, queued), (self.balance_before - 4.0, 0))
        self.assertEqual(
            [m[:2] for m in moves],
            [
                ("consumption", -2.0),
                ("consumption", 2.0),
                ("consumption", -4.0),
            ],
        )
        # delete: its live move is reversed after the commit
        with self.registry.cursor() as holder:
            self._hold_pack(holder)
            with mute_logger(*LOGGERS), self.registry.cursor() as cr:
                self._agent_env(cr)["account.analytic.line"].browse(line_id).unlink()
                holder.rollback()
        balance, moves, queued = self._state()
        self.assertEqual((balance, queued), (self.balance_before, 0))
        self.assertEqual(moves[-1][:2], ("consumption", 4.0))

    def test_cron_posts_what_is_left(self):
        """A pack still busy after the commit: the scheduled job posts it."""
        with self.registry.cursor() as holder:
            self._hold_pack(holder)
            with (
                mute_logger(*LOGGERS),
                self.registry.cursor() as cr,
            ):
                self._log(self._agent_env(cr), 16)  # 0.5 h x 2 = 4 credits
                # the after-commit processing is not done in this transaction
                cr.postcommit.data.get(
                    "helpdesk_support_pack.posting_queue", []
                ).clear()
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                # still busy: the cron leaves the entry
                env["support.posting.queue"]._cron_process_queue()
                self.assertEqual(env["support.posting.queue"].search_count([]), 1)
                cr.rollback()
            holder.rollback()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["support.posting.queue"]._cron_process_queue()
        balance, moves, queued = self._state()
        self.assertEqual((balance, queued), (self.balance_before - 4.0, 0))
        self.assertEqual(moves, [("consumption", -4.0, self.ids["agent"])])

    def test_bad_input_is_refused_not_queued(self):
        """A busy pack never lets bad input through: 30 h is refused at once."""
        with self.registry.cursor() as holder:
            self._hold_pack(holder)
            with self.registry.cursor() as cr:
                with self.assertRaisesRegex(ValidationError, "24 hours"):
                    self._log(self._agent_env(cr), 30 * 60)
                cr.rollback()
            holder.rollback()
        self.assertEqual(self._state()[2], 0)

    def test_queue_is_not_writable_by_users(self):
        """Only the addon's code writes the queue."""
        with self.registry.cursor() as cr:
            env = self._agent_env(cr)
            with self.assertRaises(AccessError):
                env["support.posting.queue"].create({"note": "forged"})
            cr.rollback()

    def test_busy_after_commit_triggers_the_job_without_waiting(self):
        """The pack still busy when the call commits: one try, no waiting in
        the request; the entry stays pending (not a failure) and the job is
        triggered a little later."""
        triggers = []
        cron_class = type(self.env["ir.cron"])
        self.patch(
            cron_class, "_trigger", lambda cron, at=None: triggers.append((cron, at))
        )
        with self.registry.cursor() as holder:
            self._hold_pack(holder)
            start = time.perf_counter()
            with mute_logger(*LOGGERS), self.registry.cursor() as cr:
                # 7 min on a very high ticket: 2 credits (the class's pack
                # holds 10 for all its tests)
                self._log(self._agent_env(cr), 7)
            elapsed = time.perf_counter() - start
            holder.rollback()
        self.assertLess(elapsed, 2.0)
        self.assertEqual(len(triggers), 1)
        cron, at = triggers[0]
        self.assertEqual(cron.id, self.env.ref(POSTING_CRON).id)
        self.assertTrue(at)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            entry = env["support.posting.queue"].search([])
            self.assertRecordValues(entry, [{"state": "pending", "attempts": 0}])
            env["support.posting.queue"]._cron_process_queue()
        balance, moves, queued = self._state()
        self.assertEqual((balance, queued), (self.balance_before - 2.0, 0))


@tagged("post_install", "-at_install")
class TestSupportQueueRuns(SupportConsumptionCommon):
    """The job of a queue (``support.queue.mixin``): a failing entry never
    blocks the others, tries are capped, a manager retries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.support_report_send = "manual"
        __, cls.pack_a = cls._sell(cls.contact_a1, cls.maxi)  # 100 credits
        cls.queue = cls.env["support.posting.queue"]

    def setUp(self):
        super().setUp()
        self.triggers = []
        cron_class = type(self.env["ir.cron"])
        self.patch(
            cron_class,
            "_trigger",
            lambda cron, at=None: self.triggers.append((cron.id, at)),
        )
        self.broken = set()
        queue_class = type(self.queue)
        process = queue_class._process

        def failing_process(entries):
            if set(entries.timesheet_id.ids) & self.broken:
                raise ValueError("broken posting (test)")
            return process(entries)

        self.patch(queue_class, "_process", failing_process)

    def _queue_logs(self, *durations):
        """Lines logged while the pack is busy: their postings are queued."""

        def lock(pack_model, partner_ids, pack_ids=(), nowait=False):
            raise PackBusy("another transaction holds the pack (test)")

        lines = self.env["account.analytic.line"]
        with (
            patch.object(self.registry["support.pack"], "_lock_for_consumption", lock),
            mute_logger(*LOGGERS),
        ):
            for minutes in durations:
                lines |= self._log(self._ticket(priority="3"), minutes)
        return lines

    def _run(self):
        with mute_logger(*LOGGERS):
            done = self.queue._cron_process_queue()
        self.env.invalidate_all()
        return done

    def _entry(self, line):
        return self.queue.search([("timesheet_id", "=", line.id)])

    def test_failing_entry_does_not_block_the_others(self):
        first, second, third = self._queue_logs(7, 16, 7)
        self.broken.add(first.id)
        self.assertEqual(self._run(), 2)
        self.assertRecordValues(
            self._entry(first),
            [{"state": "failed", "attempts": 1, "last_error": "broken posting (test)"}],
        )
        self.assertEqual(self.queue.search([]).timesheet_id, first)
        # the entries behind it are posted: 0.25 h x 2, 0.5 h x 2, 0.25 h x 2
        self.assertEqual((second | third).mapped("support_quantity"), [4.0, 2.0])
        self.assertEqual(self.pack_a.quantity_remaining, 94.0)
        # pending entries go before failed ones
        fourth = self._queue_logs(7)
        self.assertEqual(
            self.queue._queue_get_batch(), self._entry(fourth) | self._entry(first)
        )

    def test_attempts_are_capped(self):
        line = self._queue_logs(7)
        self.broken.add(line.id)
        for __ in range(MAX_ATTEMPTS + 2):
            self._run()
        entry = self._entry(line)
        self.assertRecordValues(entry, [{"state": "failed", "attempts": MAX_ATTEMPTS}])
        # left to a manager: the job no longer takes it
        self.assertFalse(self.queue._queue_get_batch())
        self.assertEqual(self._run(), 0)
        self.assertEqual(entry.attempts, MAX_ATTEMPTS)
        self.assertEqual(line.support_quantity, 0.0)

    def test_busy_pack_is_not_a_failure(self):
        line = self._queue_logs(7)

        def lock(pack_model, partner_ids, pack_ids=(), nowait=False):
            raise PackBusy("still busy (test)")

        with patch.object(self.registry["support.pack"], "_lock_for_consumption", lock):
            self.assertEqual(self._run(), 0)
        self.assertRecordValues(
            self._entry(line), [{"state": "pending", "attempts": 0}]
        )
        # the job runs again a little later
        cron = self.env.ref(POSTING_CRON)
        self.assertTrue([at for cron_id, at in self.triggers if cron_id == cron.id])
        self.assertEqual(self._run(), 1)
        self.assertEqual(line.support_quantity, 2.0)

    def test_manager_retries_failed_entries(self):
        line = self._queue_logs(7)
        self.broken.add(line.id)
        for __ in range(MAX_ATTEMPTS):
            self._run()
        entry = self._entry(line)
        self.triggers.clear()
        self.broken.clear()
        # the manager's list: the failed entries
        failed = self.queue.with_user(self.pack_manager).search(
            [("state", "=", "failed")]
        )
        self.assertEqual(failed, entry)
        failed.action_retry()
        self.assertRecordValues(
            entry, [{"state": "pending", "attempts": 0, "last_error": False}]
        )
        self.assertEqual(self.triggers, [(self.env.ref(POSTING_CRON).id, None)])
        self.assertEqual(self._run(), 1)
        self.assertFalse(entry.exists())
        self.assertEqual(line.support_quantity, 2.0)

    def test_agent_cannot_retry(self):
        line = self._queue_logs(7)
        self.broken.add(line.id)
        self._run()
        entry = self._entry(line)
        self.triggers.clear()
        with self.assertRaises(AccessError):
            entry.with_user(self.agent).action_retry()
        with self.assertRaises(AccessError):
            self.queue.with_user(self.agent).search([])
        self.assertRecordValues(
            entry,
            [{"state": "failed", "attempts": 1, "last_error": "broken posting (test)"}],
        )
        self.assertFalse(self.triggers)
