import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { Panel } from "@/components/govuk/panel";
import { getRequestForViewer, type RequestView } from "@/db/queries/requests";
import { RequestId } from "@/db/validation/requests";
import { requireUser } from "@/lib/auth/session";
import { today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";

// The confirmation after sending a request. Only its requester sees it (anyone else, including the supporter, gets
// the same 404 as a request that does not exist), and it shows nothing of what they wrote: a confirmation page can
// stay open on a screen.
export const metadata: Metadata = { title: "Request sent" };

type Props = { params: Promise<{ id: string; requestId: string }> };

function requestOr404(viewer: Awaited<ReturnType<typeof requireUser>>, id: string): RequestView {
  const parsed = RequestId.safeParse(id);
  if (!parsed.success) notFound();
  try {
    const request = getRequestForViewer(viewer, parsed.data);
    if (!request.viewerIsRequester) notFound();
    return request;
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

// "Tuesday 1 December", with the year when it is not this year; in the force's time zone.
function dayAndDate(date: Date): string {
  const sameYear = date.toLocaleDateString("en-CA", { timeZone: "Europe/London" }).slice(0, 4) === today().slice(0, 4);
  return date.toLocaleDateString("en-GB", {
    weekday: "long",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
    timeZone: "Europe/London",
  });
}

export default async function RequestSentPage({ params }: Props) {
  const viewer = await requireUser();
  const request = requestOr404(viewer, (await params).requestId);
  const name = request.supporterName;
  const conversation = `/requests/${request.id}`;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title="Request sent">Your request has gone to {name}</Panel>

        <h2 className="govuk-heading-m">What happens next</h2>
        <p className="govuk-body">
          We have told {name} that there is a new request for them in Confide, without any details. The notification
          and the email say nothing about you or what your request is about.
          {request.anonymousToSupporter && " When they read it, they will see \u201cAnonymous colleague\u201d instead of your name."}
        </p>
        <p className="govuk-body">
          {name} has until <strong>{dayAndDate(request.acknowledgeBy)}</strong> to acknowledge your request. If they
          have not by then, they are reminded, and then the Equality Unit is told that a request is waiting, without
          being told who it is from or what it is about.
        </p>
        <p className="govuk-body">
          You will get a notification in Confide when {name} acknowledges or replies. The email that comes with it
          only says that there is an update.
        </p>

        <h2 className="govuk-heading-m">Your request</h2>
        <p className="govuk-body">
          You can read your request, reply and see its status at any time.{" "}
          <Link className="govuk-link" href={conversation} prefetch={false}>
            Read your request and reply
          </Link>
          .
        </p>
        <p className="govuk-body">
          You can withdraw your request and erase it at any time, from the same page. Nobody else can read it: not the
          Equality Unit, not network coordinators and not other supporters.
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" href="/" prefetch={false}>
            Go to the home page
          </Link>
        </p>
      </div>
    </div>
  );
}
