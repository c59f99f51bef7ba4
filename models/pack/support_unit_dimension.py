# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL


class SupportUnitDimensionMixin(models.AbstractModel):
    """Quantities counted in a ``unit`` (hours or credits), analysed with the
    unit as a dimension: pivot, graph and grouped lists sum a quantity per
    group; a group that holds both units shows no sum, so hours and credits
    are never added together. Group by unit to read each one."""

    _name = "support.unit.dimension.mixin"
    _description = "Quantities Analysed per Unit"

    @api.model
    def _support_unit_measures(self):
        """The quantities counted in the record's unit."""
        return []

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = aggregate_spec.partition(":")
        if func != "sum" or fname not in self._support_unit_measures():
            return super()._read_group_select(aggregate_spec, query)
        unit = self._field_to_sql(self._table, "unit", query)
        return SQL(
            "CASE WHEN COUNT(DISTINCT %s) > 1 THEN NULL ELSE %s END",
            unit,
            super()._read_group_select(aggregate_spec, query),
        )
