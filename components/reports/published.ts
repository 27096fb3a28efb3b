import { publishedText, publishedValue, type Published } from "@/lib/suppression";
import type { ChartValue } from "./bar-chart";

// A published figure as the chart draws it: its bar only when the figure itself is published.
export function chartValue(p: Published, series?: string): ChartValue {
  return { series, value: publishedValue(p), text: publishedText(p) };
}

export { publishedText };
