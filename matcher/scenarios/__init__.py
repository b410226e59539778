"""What-if scenarios for planners: a base (the database or an instance folder) and a list of
changes, solved with the same optimiser as the base and compared side by side.

Modules: :mod:`schema` (the YAML format, pydantic), :mod:`loader` (YAML with line numbers),
:mod:`changes` (one pure ``Instance -> Instance`` function per change type), :mod:`runner`
(solve base and scenario, metrics and differences), :mod:`compare`, :mod:`sweep` (trade-off
curves on an executor), :mod:`sensitivity` (LP shadow prices, ranked), :mod:`charts` and
:mod:`service` (stored runs)."""
