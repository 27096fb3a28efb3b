import type { Metadata } from "next";
import Link from "next/link";

import { actionItems, actorSummary, formatEventTime, objectTypeItems, OUTCOME_COLOURS, OUTCOME_LABELS } from "@/components/audit/format";
import { VerifyForm } from "@/components/audit/verify-form";
import { DateInput } from "@/components/admin/date-input";
import { Button } from "@/components/govuk/button";
import { ErrorSummary } from "@/components/govuk/error-summary";
import { Pagination } from "@/components/govuk/pagination";
import { Select } from "@/components/govuk/select";
import { Table } from "@/components/govuk/table";
import { Tag } from "@/components/govuk/tag";
import { TextInput } from "@/components/govuk/text-input";
import { listAuditActions, listAuditEvents } from "@/db/queries/audit-log";
import { AUDIT_EXPORT_MAX_ROWS, AUDIT_PAGE_SIZE, auditLogSearch, parseAuditLogQuery, type AuditLogField } from "@/db/validation/audit-log";
import { requireEqualityUnit } from "@/lib/auth/equality-unit";
import { verifyAuditLogAction } from "./actions";
import { orNotFound, resolveFilter } from "./load";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// The error summary links to the first control of each field.
const FIELD_IDS: { name: AuditLogField; id: string }[] = [
  { name: "from", id: "from" },
  { name: "to", id: "to" },
  { name: "actor", id: "actor" },
  { name: "action", id: "action" },
  { name: "objectType", id: "objectType" },
  { name: "objectId", id: "objectId" },
];

// The filter is a GET form, so it works without JavaScript, survives paging and can be bookmarked. What goes in the
// query string is what the Equality Unit typed: dates, an action, an object's opaque id, and at most the name or
// email address of a member of staff whose actions they are looking at.
export default async function AuditLogPage({ searchParams }: Props) {
  const viewer = await requireEqualityUnit("audit_log");
  const query = parseAuditLogQuery(await searchParams);
  const { filter, errors } = resolveFilter(viewer, query);
  const actions = orNotFound(() => listAuditActions(viewer));
  const page = filter ? orNotFound(() => listAuditEvents(viewer, filter, query.cursor)) : null;
  const errorItems = FIELD_IDS.flatMap(({ name, id }) => (errors[name] ? [{ href: `#${id}`, text: errors[name] }] : []));
  const search = auditLogSearch(query.values);
  const paged = query.cursor.before !== undefined || query.cursor.after !== undefined;

  return (
    <>
      <ErrorSummary errors={errorItems} />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Equality Unit</span>
          <h1 className="govuk-heading-l">Audit log</h1>
          <p className="govuk-body">
            Every sign-in, change, export and refused access, newest first. The log records who did what to which
            object and when. It holds no request content and nothing about who belongs to which network.
          </p>
          <p className="govuk-body">
            For events about requests for support and network memberships, who did it is <strong>not shown</strong>, and
            searching for a person does not find them: it could identify someone who asked for help or joined a network.
          </p>

          <h2 className="govuk-heading-m">Check that the log has not been altered</h2>
          <p className="govuk-body">
            Each event is sealed with a fingerprint of the one before it, so changing or removing any event breaks the
            chain from there on. Checking reads every event and is recorded in the log.
          </p>
          <VerifyForm action={verifyAuditLogAction} />
        </div>
      </div>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-quarter">
          <form method="get" action="/admin/audit" role="search" aria-label="Filter the audit log" noValidate>
            <h2 className="govuk-heading-m">Filter</h2>
            <DateInput id="from" legend="From" legendSize="s" hint="For example, 27 3 2026" error={errors.from} defaultValue={query.values.from} />
            <DateInput id="to" legend="To" legendSize="s" hint="Events on this day are included" error={errors.to} defaultValue={query.values.to} />
            <TextInput
              id="actor"
              label="Member of staff"
              labelSize="s"
              hint="Their full name or email address"
              error={errors.actor}
              defaultValue={query.values.actor}
              spellCheck={false}
              autoComplete="off"
            />
            <Select
              id="action"
              label="Action"
              labelSize="s"
              error={errors.action}
              defaultValue={query.values.action}
              items={actionItems(actions, errors.action ? "" : query.values.action)}
            />
            <Select
              id="objectType"
              label="Type of object"
              labelSize="s"
              error={errors.objectType}
              defaultValue={query.values.objectType}
              items={objectTypeItems(errors.objectType ? "" : query.values.objectType)}
            />
            <TextInput
              id="objectId"
              label="Object id"
              labelSize="s"
              hint="The id exactly as it appears in the log"
              error={errors.objectId}
              defaultValue={query.values.objectId}
              spellCheck={false}
              autoComplete="off"
            />
            <Button type="submit" variant="secondary">
              Apply filters
            </Button>
            {query.filtered && (
              <p className="govuk-body">
                <Link href="/admin/audit" prefetch={false} className="govuk-link">
                  Clear filters
                </Link>
              </p>
            )}
          </form>
        </div>

        <div className="govuk-grid-column-three-quarters">
          <h2 className="govuk-heading-m">Events</h2>
          {!page ? (
            <p className="govuk-body">Correct the filter to see events.</p>
          ) : page.rows.length === 0 ? (
            <>
              <p className="govuk-body">
                {query.filtered ? "No events match these filters." : paged ? "There are no events on this page." : "The log is empty."}
              </p>
              {(query.filtered || paged) && (
                <p className="govuk-body">
                  <Link href="/admin/audit" prefetch={false} className="govuk-link">
                    {query.filtered ? "Clear filters" : "Go to the newest events"}
                  </Link>
                </p>
              )}
            </>
          ) : (
            <>
              <p className="govuk-body">
                <a className="govuk-link" href={`/admin/audit/export${search}`}>
                  Download {query.filtered ? "the events that match these filters" : "the log"} (CSV)
                </a>
                <br />
                <span className="govuk-hint">
                  Newest first, at most {AUDIT_EXPORT_MAX_ROWS.toLocaleString("en-GB")} events. Each download is recorded in
                  the log.
                </span>
              </p>
              <Table
                caption={`Events, newest first, ${AUDIT_PAGE_SIZE} a page`}
                captionSize="s"
                firstCellIsHeader
                head={[{ text: "Event" }, { text: "Time" }, { text: "Who" }, { text: "Action" }, { text: "Object" }, { text: "Outcome" }]}
                rows={page.rows.map((row) => {
                  const who = actorSummary(row.actor);
                  return {
                    key: String(row.seq),
                    cells: [
                      `#${row.seq}`,
                      <time key="time" dateTime={row.at.toISOString()}>
                        {formatEventTime(row.at)}
                      </time>,
                      <>
                        {who.main}
                        {who.detail && (
                          <>
                            <br />
                            <span className="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">{who.detail}</span>
                          </>
                        )}
                      </>,
                      <code key="action">{row.action}</code>,
                      row.objectType ? (
                        <>
                          {row.objectType}
                          {row.objectId && (
                            <>
                              <br />
                              <code className="govuk-!-font-size-16">{row.objectId}</code>
                            </>
                          )}
                        </>
                      ) : (
                        <span className="govuk-hint govuk-!-margin-0">None</span>
                      ),
                      <Tag key="outcome" colour={OUTCOME_COLOURS[row.outcome]}>
                        {OUTCOME_LABELS[row.outcome]}
                      </Tag>,
                    ],
                  };
                })}
              />
              <Pagination
                previous={page.newer ? { href: `/admin/audit${auditLogSearch(query.values, page.newer)}` } : undefined}
                next={page.older ? { href: `/admin/audit${auditLogSearch(query.values, page.older)}` } : undefined}
                landmarkLabel="Pages of events"
              />
              {paged && (
                <p className="govuk-body">
                  <a className="govuk-link" href={`/admin/audit${search}`}>
                    Go to the newest events
                  </a>
                </p>
              )}
            </>
          )}
        </div>
      </div>
    </>
  );
}
