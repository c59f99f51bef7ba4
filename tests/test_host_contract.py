# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA contract's own suite, run with this addon installed.

It reads contract's demo records: `make test` runs it in its step 3, on the
database installed with the demo data (tag ``hsp_demo``), and counts it as
contract's. Each class runs the tests it inherits from contract's
(``allow_inherited_tests_method``)."""

import unittest

from odoo.tests import tagged

from odoo.addons.contract.tests import (
    test_contract,
    test_contract_manually_create_invoice,
    test_multicompany,
    test_portal,
)

# product_contract (a dependency of this addon) brings contract_termination and
# contract_line_successor, whose contract lines must be cancelled before they
# are deleted and keep their own start date: these tests of contract fail with
# them installed, without this addon too.
WITH_SUCCESSOR = (
    "fails once contract_line_successor (installed by product_contract) is "
    "installed, without this addon too"
)


@tagged("post_install", "-at_install", "hsp_demo")
class TestHostContract(test_contract.TestContract):
    allow_inherited_tests_method = True

    @unittest.skip(WITH_SUCCESSOR)
    def test_invoice_contract_without_lines(self):
        return

    @unittest.skip(WITH_SUCCESSOR)
    def test_onchange_contract_template_id_lines(self):
        return

    @unittest.skip(WITH_SUCCESSOR)
    def test_recurrency_propagation(self):
        return


@tagged("post_install", "-at_install", "hsp_demo")
class TestHostContractManuallyCreateInvoice(
    test_contract_manually_create_invoice.TestContractManuallyCreateInvoice
):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "hsp_demo")
class TestHostContractMulticompany(test_multicompany.ContractMulticompanyCase):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "hsp_demo")
class TestHostContractPortal(test_portal.TestContractPortal):
    allow_inherited_tests_method = True
