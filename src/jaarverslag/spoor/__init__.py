"""The audit trail: where every figure comes from (herkomst), the trail cells, the manifest."""
