import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { DateTime } from "luxon";
import { epochSeconds, formatWindow, ZONE } from "../time";

/**
 * An opportunity's predicted curtailment per settlement period (R-ELIG-6), drawn by uPlot as
 * one bar per SP on a Europe/London time axis, with the opportunity's max quantity as a line.
 * The canvas is described for screen readers and the same numbers are in a table below it.
 */
export interface CurtailmentChartProps {
  title: string;
  windowStart: string;
  windowEnd: string;
  /** MW, one per SP of the window. */
  predictedCurtailmentMw: readonly number[];
  maxQuantityMw: number;
  width?: number;
}

const SP_SECONDS = 30 * 60;

export function CurtailmentChart(props: CurtailmentChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const { windowStart, windowEnd, predictedCurtailmentMw, maxQuantityMw } = props;
  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const start = epochSeconds(windowStart);
    // One x per SP start, and the window's end so the max-quantity line spans the whole window.
    const xs = [
      ...predictedCurtailmentMw.map((_, index) => start + index * SP_SECONDS),
      epochSeconds(windowEnd),
    ];
    const width = props.width ?? Math.max(320, Math.min(720, element.clientWidth || 640));
    const plot = new uPlot(
      {
        width,
        height: 260,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), ZONE),
        scales: {
          x: { time: true, range: () => [start, epochSeconds(windowEnd)] },
          mw: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
        },
        axes: [
          {
            stroke: "#1f2933",
            grid: { stroke: "#d5dbe1" },
            label: `Settlement period start, Europe/London (${DateTime.fromSeconds(start).setZone(ZONE).toFormat("ZZ")})`,
            values: (_u, ticks) =>
              ticks.map((tick) => DateTime.fromSeconds(tick).setZone(ZONE).toFormat("HH:mm")),
          },
          {
            scale: "mw",
            stroke: "#1f2933",
            grid: { stroke: "#d5dbe1" },
            label: "MW",
            values: (_u, ticks) => ticks.map((tick) => `${tick}`),
          },
        ],
        series: [
          { label: "SP start" },
          {
            label: "Predicted curtailment (MW)",
            scale: "mw",
            stroke: "#0b5cad",
            fill: "rgba(11, 92, 173, 0.35)",
            paths: uPlot.paths.bars!({ size: [0.8, 60], align: 1 }),
            points: { show: false },
          },
          {
            label: "Max quantity (MW)",
            scale: "mw",
            stroke: "#b3261e",
            dash: [6, 4],
            width: 2,
            points: { show: false },
          },
        ],
        legend: { show: true, live: false },
        cursor: { show: false },
      },
      [xs, [...predictedCurtailmentMw, null], xs.map(() => maxQuantityMw)],
      element,
    );
    return () => plot.destroy();
  }, [windowStart, windowEnd, predictedCurtailmentMw, maxQuantityMw, props.width]);

  const summary = `${props.title}: predicted curtailment per settlement period, ${formatWindow(
    props.windowStart,
    props.windowEnd,
  )}, peak ${Math.max(0, ...predictedCurtailmentMw)} MW; max quantity ${maxQuantityMw} MW.`;
  return (
    <figure class="chart" data-chart="predicted-curtailment">
      <div ref={holder} role="img" aria-label={summary} />
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
