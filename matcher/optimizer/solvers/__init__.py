"""Solver back ends: each translates a :class:`~matcher.optimizer.formulation.Formulation`
plus one objective into its own API. ``greedy`` works on the pairs directly."""
