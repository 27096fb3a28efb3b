import { Tag } from "@/components/govuk/tag";
import type { ImportStatus } from "@/db/queries/staff-import";

// The words for an import's state; the colour only repeats them.
export const IMPORT_STATUS_LABELS: Record<ImportStatus, string> = {
  running: "In progress",
  done: "Finished",
  failed: "Stopped",
};

const COLOURS = { running: "blue", done: "green", failed: "red" } as const;

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  return <Tag colour={COLOURS[status]}>{IMPORT_STATUS_LABELS[status]}</Tag>;
}

export const count = (value: number) => value.toLocaleString("en-GB");
