"""Every package's public surface, pinned: its exact ``__all__``, and every name resolves (lazy ones too)."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

import detente

PUBLIC = {
    "detente": ["EVENT_SCHEMA", "IngestReport", "Store"],
    "detente.analysis": [
        "Claim", "ClaimResult", "DailyCounts", "Estimate", "EventStudy", "VarResult", "anchor_set", "csis_2016",
        "default_claims", "event_study", "fit_var", "provocation_counts", "reciprocity_var", "run_claims",
    ],
    "detente.api": ["create_app"],
    "detente.cli": ["COMMANDS", "app"],
    "detente.bargaining": [
        "MODEL_NAMES", "BDMModel", "BargainingInputError", "CompromiseModel", "Estimate", "IssueSet", "IssueSpec",
        "MonteCarlo", "NashBargainingModel", "NotFittedError", "Solution", "Source", "WeightedMedianModel",
        "check_estimator", "ec_emissions", "korea", "load", "solve",
    ],
    "detente.forecast": [
        "HORIZONS", "MODELS", "TARGETS", "Backtest", "BacktestResult", "Forecast", "ForecastRecord", "KnowledgeBase",
        "MonthlyData",
        "Scenario", "ScenarioResult", "Simulator", "build", "load_scenario", "make_model", "run_scenario",
    ],
    "detente.indicators": [
        "TensionWeights", "cell_events", "components_expr", "detect_phases", "dyadic_series", "find_incidents",
        "find_phases", "index_events", "military_elements", "military_events", "phase_changes", "series_expr",
        "tension_index",
    ],
    "detente.kb": [
        "TABLES", "KbDataError", "LinkRule", "Linking", "agreement_detail", "agreements_overview", "audit",
        "link_events", "link_store", "linked_incidents", "load", "problems", "provision_status", "sample", "scores",
        "stale_tables",
        "table_ends", "timeline_path", "unmatched_launches", "write_links", "yearly_comparison",
    ],
    "detente.ontology": [
        "CODE_SYSTEMS", "CameoCoding", "GoldsteinScheme", "actor_types", "cameo_codes", "cameo_country_to_iso3",
        "cameo_to_plover", "category_cameo", "countries", "country_codes", "cow_to_iso3", "fips_to_iso3",
        "goldstein_of", "gw_to_iso3", "isonum_to_iso3", "known_group_to_org", "mapping_rows", "name_to_iso3",
        "normalise_name", "organisations", "plover_map", "quad_class_labels", "quad_class_of_root", "source_cameo",
    ],
    "detente.report": [
        "Brief", "BriefFormat", "EmptyStoreError", "ForecastPanel", "build_brief", "ensure_store", "forecast_panel",
        "render_html", "render_markdown", "render_pdf", "write_brief",
    ],
    "detente.report.sections": ["SECTIONS"],
    "detente.sources": ["ReadResult", "Reader", "SourceError", "detect", "known_formats", "reader_for"],
    "detente.theatres": [
        "GROUPS", "OUTCOMES", "SAMPLES", "STAGES", "Coverage", "Lessons", "ProvisionGroup", "Record", "Registry",
        "RegistryError", "Theatre", "agreement_outcomes", "border_watch", "build_lessons", "compare", "cox_model",
        "excluded_agreements", "find_theatres", "km_curves", "korea_groups", "lessons_section", "load_record",
        "load_registry", "profiles", "resolve", "signings",
        "similar_agreements", "survival_chart", "theatre_detail", "write_chart",
    ],
}  # fmt: skip


def test_every_package_is_pinned() -> None:
    """A new package needs its line above (its public names are a decision, not an accident)."""
    found = {"detente"} | {m.name for m in pkgutil.walk_packages(detente.__path__, "detente.") if m.ispkg}
    assert found == set(PUBLIC)


@pytest.mark.parametrize("package", sorted(PUBLIC))
def test_all_is_pinned_and_every_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    assert module.__all__ == PUBLIC[package]
    for name in module.__all__:
        value = getattr(module, name)
        assert value is not None and not isinstance(value, ModuleType), name  # no clash with a submodule
    with pytest.raises(AttributeError, match="no_such_name"):
        module.no_such_name  # noqa: B018
