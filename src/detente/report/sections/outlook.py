"""Section "Outlook": forecasts with their backtest skill, and bargaining predictions with intervals."""

from __future__ import annotations

from ..charts import bargaining_chart, forecast_chart
from ..context import BriefContext
from ..forecasts import BASELINE, LEAD_MODEL
from ..model import Chart, Inline, Section, Table
from ..text import cell, fmt_num, fmt_signed, note, para
from .actors import cite_inputs, inputs_note

__all__ = ["build"]

_TRACK_HEADER = ("target", "months", "model", "scored", "score", "skill vs climatology", "skill vs persistence",
                 "evidence")  # fmt: skip


def _forecasts(ctx: BriefContext, s: Section) -> None:
    panel = ctx.forecasts
    if not panel.available:
        s.blocks.append(note(f"Forecasts: {panel.reason}."))
        return
    f, k = panel.forecasts, panel.skill
    ref = ctx.notes.cite(
        f"Forecasts: the subject's curated incidents of the targets since the backtest's first origin ({panel.reason})",
        events=panel.event_ids,
        sources=["detente.forecast: targets, features, models and the rolling-origin Backtest"],
        query="detente forecast --target missile --horizon 1",
    )
    lead = f[f["model"] == LEAD_MODEL]
    base = f[f["model"] == BASELINE].set_index(["target", "horizon"])["probability"]
    skill = k[k["model"] == LEAD_MODEL].set_index(["target", "horizon"])
    rows: list[list[list[Inline]]] = []
    for r in lead.to_dict("records"):
        sk = skill.loc[(r["target"], r["horizon"])]
        rows.append([cell(f"{r['target']}: {r['description']}"), cell(str(r["horizon"])), cell(r["period"]),
                     [*cell(f"{r['probability']:.2f}"), ref], cell(f"{base.get((r['target'], r['horizon'])):.2f}"),
                     cell(f"{sk['brier']:.3f}"), cell(fmt_signed(sk["brier_skill"])),
                     cell(fmt_signed(sk["skill_persistence"])), cell(fmt_num(sk["auc"], 2)),
                     cell(str(int(sk["origins"])))])  # fmt: skip
    s.blocks.append(
        para(
            f"Probability of each target in the months after {lead['issued'].iloc[0]}, from the {LEAD_MODEL} of the "
            "forecast models, beside the climatology baseline, with the ensemble's skill over the recent "
            "rolling-origin backtest (Brier skill 1 − Brier / Brier of the baseline: above 0 beats it)",
            ref,
            ".",
        )
    )
    s.blocks.append(
        Table(
            "Forecasts and their backtest skill",
            [
                "target",
                "months",
                "window",
                LEAD_MODEL,
                BASELINE,
                "Brier",
                "skill vs climatology",
                "skill vs persistence",
                "AUC",
                "origins",
            ],
            rows,
        )
    )
    spec, data = forecast_chart(lead, f"Forecast probabilities ({LEAD_MODEL})")
    s.blocks.append(Chart("forecasts", "Forecast probabilities", spec, data, "Bars of forecast probabilities", [ref]))


def _track_record(ctx: BriefContext, s: Section) -> None:
    """The live record of the store's frozen forecasts (decision 068), scored by the brief's date."""
    from ...forecast.record import RECORD_FILE, ForecastRecord

    record = ForecastRecord(ctx.store.home)
    check = record.verify()
    if not check.ok:
        s.blocks.append(note(f"The forecast record fails its check ({check}), so its scores are not quoted."))
        return
    track = record.track_record(until=ctx.as_of)
    if track.empty:
        s.blocks.append(note("No forecast frozen in this store's record has been scored by the brief's date: "
                             "there is no live track record yet."))  # fmt: skip
        return
    ref = ctx.notes.cite(f"The store's forecast record ({check})", sources=[f"<store home>/{RECORD_FILE.as_posix()}"])
    rows: list[list[list[Inline]]] = [
        [cell(r.target), cell(str(r.horizon)), cell(r.model), cell(str(int(r.origins))), cell(f"{r.score:.3f}"),
         cell(fmt_signed(r.skill_climatology)), cell(fmt_signed(r.skill_persistence)), [ref]]
        for r in track.itertuples()
    ]  # fmt: skip
    caption = "Live track record: forecasts frozen when issued, scored when their window ended (Brier; CRPS for counts)"
    s.blocks.append(Table(caption, list(_TRACK_HEADER), rows))


def _bargaining(ctx: BriefContext, s: Section) -> None:
    if warning := inputs_note(ctx):
        s.blocks.append(note(warning))
        return
    sol = ctx.bargaining
    summary = sol.summary_table().to_pandas()
    issues = [spec.id for spec in sol.issue_set.issues]
    ref = cite_inputs(ctx, "Bargaining inputs of every actor on every issue", issues, sol.issue_set.actors)
    s.blocks.append(
        para(
            f"Bargaining models on the coded positions, saliences and capabilities of {len(sol.issue_set.actors)} "
            f"actors: predicted outcome on each issue's 0-100 scale and the 80% interval of {fmt_num(sol.runs)} "
            f"Monte Carlo runs over the inputs' ranges (seed {sol.seed}). These are model outputs on coded inputs, "
            "for exploring what the stated positions imply, not forecasts",
            ref,
            ".",
        )
    )
    rows: list[list[list[Inline]]] = []
    for r in summary.to_dict("records"):
        interval = "—" if r["p10"] is None else f"{r['p10']:.0f}–{r['p90']:.0f}"
        rows.append([cell(r["issue"]), cell(r["model"]), cell(f"{r['outcome']:.1f}"), cell(interval),
                     cell(r["input_1"] or ""), cell(r["note"] or ""), [ref]])  # fmt: skip
    s.blocks.append(
        Table(
            "Bargaining predictions (BDM, compromise, weighted median, Nash)",
            ["issue", "model", "outcome", "80% interval", "most influential input", "note", "evidence"],
            rows,
        )
    )
    if sol.runs:
        spec, data = bargaining_chart(summary, "Predicted outcomes with 80% Monte Carlo intervals")
        s.blocks.append(Chart("bargaining", "Bargaining predictions", spec, data,
                              "Points and interval rules per issue and model", [ref]))  # fmt: skip


def build(ctx: BriefContext) -> Section:
    """The section."""
    s = Section("outlook", "Outlook")
    _forecasts(ctx, s)
    _track_record(ctx, s)
    _bargaining(ctx, s)
    return s
