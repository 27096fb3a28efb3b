import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import * as z from "zod";

import { NotificationBanner } from "@/components/govuk/notification-banner";
import { SummaryList } from "@/components/govuk/summary-list";
import { AvailabilityTag } from "@/components/supporters/availability-tag";
import { InboxRequests } from "@/components/requests/inbox-requests";
import { paragraphs } from "@/components/supporters/text";
import { listAssignedRequests } from "@/db/queries/requests";
import { getOwnSupporter, type OwnSupporter } from "@/db/queries/supporter-self";
import { availabilityOf } from "@/lib/availability";
import { clock, formatDate, today as todayInLondon } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { CONTACT_METHOD_LABELS } from "@/lib/vocabulary";
import { requireSupporter } from "./supporter-guard";

export const metadata: Metadata = { title: "Inbox" };

// Set by the actions when they send the supporter back here; anything else in the query is ignored.
const UPDATED_MESSAGES = {
  profile: "Your profile has been updated",
  paused: "You have paused new requests",
  resumed: "You are taking requests again",
  capacity: "Your capacity has been updated",
} as const;
const Updated = z.enum(Object.keys(UPDATED_MESSAGES) as [keyof typeof UPDATED_MESSAGES]).optional().catch(undefined);
// Which requests and which page: open ones on the first page unless asked otherwise; anything odd is ignored.
const RequestsParam = z.enum(["open", "all"]).catch("open");
const PageParam = z.coerce.number().int().min(1).max(100_000).catch(1);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function loadOwnSupporter(viewer: Parameters<typeof getOwnSupporter>[0]): OwnSupporter {
  try {
    return getOwnSupporter(viewer);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

// Split the same way as on the directory profile, so the supporter sees what colleagues see.
function Paragraphs({ text }: { text: string }) {
  const parts = paragraphs(text);
  if (parts.length === 0) return <>Not given</>;
  return (
    <>
      {parts.map((paragraph, index) => (
        <p className="govuk-body" key={index}>
          {paragraph}
        </p>
      ))}
    </>
  );
}

export default async function InboxPage({ searchParams }: Props) {
  const viewer = await requireSupporter();
  const own = loadOwnSupporter(viewer);
  const query = await searchParams;
  const updated = Updated.parse(query.updated);
  const showAll = RequestsParam.parse(query.requests) === "all";
  const requests = listAssignedRequests(viewer, PageParam.parse(query.page), !showAll);
  // Only to tell "no requests yet" from "none open": one more count, and only when the open list is empty.
  const everAssigned = requests.total > 0 || showAll ? requests.total : listAssignedRequests(viewer, 1, false).total;
  const today = todayInLondon();
  const availability = availabilityOf(own, today);
  const paused = own.status === "paused" && availability.kind === "paused";

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {updated && <NotificationBanner type="success" heading={UPDATED_MESSAGES[updated]} />}
        <h1 className="govuk-heading-l">Your inbox</h1>

        <h2 className="govuk-heading-m" id="requests-heading">
          Requests
        </h2>
        <InboxRequests list={requests} all={showAll} everAssigned={everAssigned} now={clock.now()} />

        <h2 className="govuk-heading-m">Your availability</h2>
        <SummaryList
          rows={[
            { key: "In the directory", value: <AvailabilityTag availability={availability} today={today} /> },
            ...(paused && own.pausedUntil
              ? [{ key: "Not taking requests until", value: formatDate(own.pausedUntil, today) }]
              : []),
            ...(paused && own.pauseReason
              ? [
                  {
                    key: "Reason for pause",
                    value: (
                      <>
                        <Paragraphs text={own.pauseReason} />
                        <p className="govuk-hint">Only you and the Equality Unit can see this.</p>
                      </>
                    ),
                  },
                ]
              : []),
            { key: "Open requests", value: String(own.openRequests) },
            {
              key: "Capacity",
              value: `Up to ${own.capacity} open ${own.capacity === 1 ? "request" : "requests"} at a time`,
            },
          ]}
        />
        <p className="govuk-body">
          <Link className="govuk-link" href="/inbox/availability" prefetch={false}>
            Change your availability
          </Link>
        </p>

        <h2 className="govuk-heading-m">Your profile</h2>
        <SummaryList
          rows={[
            { key: "Role", value: own.roleTitle },
            { key: "Site", value: own.site },
            { key: "Introduction", value: <Paragraphs text={own.introduction} /> },
            { key: "Languages", value: own.languages.join(", ") || "None recorded" },
            {
              key: "How people can contact you",
              value: own.contactMethods.map((method) => CONTACT_METHOD_LABELS[method]).join(", ") || "None recorded",
            },
            { key: "Working pattern", value: own.workingPattern || "Not given" },
            { key: "Specialisms", value: own.specialisms.join(", ") || "None recorded" },
            { key: "Refresher training due", value: formatDate(own.refresherDue, today) },
          ]}
        />
        <ul className="govuk-list">
          <li>
            <Link className="govuk-link" href="/inbox/profile" prefetch={false}>
              Change your profile
            </Link>
          </li>
          <li>
            <Link className="govuk-link" href={`/supporters/${own.id}`} prefetch={false}>
              See your profile as colleagues see it
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}
