# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA product_contract's own suite, run with this addon installed (see
test_host_contract.py: `make test`'s step 3, tag ``hsp_demo``)."""

from odoo.tests import tagged

from odoo.addons.product_contract.tests import test_product, test_sale_order


@tagged("post_install", "-at_install", "hsp_demo")
class TestHostProductTemplate(test_product.TestProductTemplate):
    allow_inherited_tests_method = True


@tagged("post_install", "-at_install", "hsp_demo")
class TestHostSaleOrder(test_sale_order.TestSaleOrder):
    allow_inherited_tests_method = True
