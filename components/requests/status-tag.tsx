import { Tag } from "@/components/govuk/tag";
import type { RequestStatus } from "@/db/schema";
import { STATUS_COLOURS, STATUS_LABELS } from "./format";

export function StatusTag({ status }: { status: RequestStatus }) {
  return <Tag colour={STATUS_COLOURS[status]}>{STATUS_LABELS[status]}</Tag>;
}

export function OverdueTag() {
  return <Tag colour="red">Overdue</Tag>;
}
