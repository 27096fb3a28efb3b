"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

import styles from "./import-progress.module.css";

type Props = { processed: number; total: number; refreshHref: string };

const REFRESH_MS = 1_500;

// While an import runs, its page is fetched again every moment and React swaps in the new figures. The figures sit
// in a polite live region, so screen readers hear progress without losing their place; the bar only repeats the
// sentence beside it. Without JavaScript the "Refresh" link does the same by hand.
export function ImportProgress({ processed, total, refreshHref }: Props) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [router]);
  const percent = total === 0 ? 0 : Math.floor((processed / total) * 100);
  const n = (value: number) => value.toLocaleString("en-GB");
  return (
    <div className="govuk-!-margin-bottom-6">
      <div aria-live="polite" aria-atomic="true">
        <label className="govuk-label govuk-label--s" htmlFor="import-progress">
          {n(processed)} of {n(total)} rows checked ({percent}%)
        </label>
        <progress id="import-progress" className={styles.progress} max={Math.max(total, 1)} value={processed}>
          {percent}%
        </progress>
      </div>
      <p className="govuk-body">
        This page updates by itself.{" "}
        <a className="govuk-link" href={refreshHref}>
          Refresh<span className="govuk-visually-hidden"> the import&rsquo;s progress</span>
        </a>{" "}
        to see the latest figures if it does not.
      </p>
    </div>
  );
}
