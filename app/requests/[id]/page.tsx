import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import * as z from "zod";

import { BackLink } from "@/components/govuk/back-link";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { InsetText } from "@/components/govuk/inset-text";
import { SummaryList, type SummaryListRow } from "@/components/govuk/summary-list";
import { ConfirmErase, ConfirmWithdraw } from "@/components/requests/confirm-forms";
import { Conversation } from "@/components/requests/conversation";
import { DoneBanner, isRequestDone } from "@/components/requests/done-banner";
import { formatDay, formatDeadline, isOpen, isOverdue } from "@/components/requests/format";
import { MessageText } from "@/components/requests/message-text";
import { RequestWorkspace } from "@/components/requests/request-workspace";
import { OverdueTag, StatusTag } from "@/components/requests/status-tag";
import {
  ACKNOWLEDGE_WORKING_DAYS,
  ANONYMOUS,
  getRequestForViewer,
  listHandoverCandidates,
  type HandoverCandidate,
  type RequestView,
} from "@/db/queries/requests";
import { RequestId } from "@/db/validation/requests";
import { audit } from "@/lib/audit";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { CONTACT_METHOD_LABELS, PROTECTED_CHARACTERISTICS, REQUEST_CATEGORIES, REQUEST_OUTCOMES } from "@/lib/vocabulary";

type SearchParams = Record<string, string | string[] | undefined>;
type Props = { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> };

const Confirm = z.enum(["withdraw", "erase"]).optional().catch(undefined);
// Which page of a long conversation: 1 (the default) is the latest messages, 2 the ones before; anything odd is 1.
const MessagesParam = z.coerce.number().int().min(1).max(100_000).catch(1);

const conversationHref = (requestId: string) => (page: number) =>
  `/requests/${requestId}${page > 1 ? `?messages=${page}` : ""}#conversation`;

// Titles show in history and tab lists, so they never carry a name or a word of the request.
export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const confirm = Confirm.parse((await searchParams).confirm);
  return { title: confirm === "withdraw" ? "Withdraw your request" : confirm === "erase" ? "Erase your request" : "Request" };
}

// Not a request id at all, not the viewer's, or does not exist: the same 404, audited (without what was typed).
function loadRequest(viewer: SessionUser, raw: string, messagePage: number): RequestView {
  const id = RequestId.safeParse(raw);
  if (!id.success) {
    audit({ actorId: viewer.id, action: "request.read", objectType: "request", outcome: "denied" });
    notFound();
  }
  try {
    return getRequestForViewer(viewer, id.data, messagePage);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

function candidatesFor(viewer: SessionUser, view: RequestView): HandoverCandidate[] | null {
  if (view.viewerIsRequester || (view.status !== "acknowledged" && view.status !== "in_progress")) return null;
  try {
    return listHandoverCandidates(viewer, view.id);
  } catch (error) {
    // Handed away between the two reads: show the page as it was read, without the handover form.
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// One or two sentences on where the request stands and what happens next, in the viewer's own terms.
function meaning(view: RequestView, now: Date): string {
  const supporter = view.supporterName;
  const colleague = view.requesterName ?? "the colleague";
  const ended = view.endedAt ? formatDay(view.endedAt, now) : null;
  const deadline = formatDeadline(view.acknowledgeBy, now);
  const overdue = isOverdue(view.status, view.acknowledgeBy, now);
  const outcome = view.outcome ? (REQUEST_OUTCOMES as Record<string, string>)[view.outcome] : undefined;
  const days = `${ACKNOWLEDGE_WORKING_DAYS} working days`;
  if (view.viewerIsRequester) {
    switch (view.status) {
      case "new":
        return overdue
          ? `${supporter} has not acknowledged your request yet. They should have done so by ${deadline}. You can wait, send a message, or withdraw it and choose someone else.`
          : `${supporter} has ${days} to acknowledge your request \u2014 by ${deadline}.`;
      case "acknowledged":
        return `${supporter} has acknowledged your request and will be in touch.`;
      case "in_progress":
        return `${supporter} is supporting you with this request.`;
      case "handover_pending":
        return `${supporter} has suggested someone else who could help. Your request stays with ${supporter} until you answer.`;
      case "closed":
        return `${supporter} closed this request${ended ? ` on ${ended}` : ""}.${outcome ? ` Outcome: ${outcome}.` : ""}`;
      case "withdrawn":
        return `You withdrew this request${ended ? ` on ${ended}` : ""}.`;
      case "declined":
        return `${supporter} declined this request${ended ? ` on ${ended}` : ""}.`;
    }
  }
  switch (view.status) {
    case "new":
      return overdue
        ? `This request should have been acknowledged by ${deadline}. Acknowledge it now, or decline it so that ${colleague} can choose someone else.`
        : `You have ${days} to acknowledge this request \u2014 by ${deadline}.`;
    case "acknowledged":
      return "You have acknowledged this request. Move it to in progress when you start working on it together.";
    case "in_progress":
      return `You are supporting ${colleague} with this request.`;
    case "handover_pending":
      return `You have suggested ${view.handoverSupporter?.name ?? "another supporter"} could help better. The request stays with you until ${colleague} answers.`;
    case "closed":
      return `You closed this request${ended ? ` on ${ended}` : ""}.${outcome ? ` Outcome: ${outcome}.` : ""}`;
    case "withdrawn":
      return `${capitalise(colleague)} withdrew this request${ended ? ` on ${ended}` : ""}.`;
    case "declined":
      return `You declined this request${ended ? ` on ${ended}` : ""}. ${capitalise(colleague)} has been told why.`;
  }
}

function detailRows(view: RequestView): SummaryListRow[] {
  const rows: SummaryListRow[] = [];
  if (view.viewerIsRequester) {
    rows.push({ key: "Supporter", value: view.supporterName });
  } else {
    rows.push({
      key: "From",
      value: view.requesterName ?? (
        <>
          {ANONYMOUS}
          <span className="govuk-hint govuk-!-margin-bottom-0">
            They chose not to share their name. You can only talk through messages here.
          </span>
        </>
      ),
    });
  }
  rows.push({ key: "About", value: REQUEST_CATEGORIES[view.category] });
  // The opaque code the Equality Unit is given if the request is not acknowledged in time, so it can ask about it
  // without learning anything else.
  rows.push({ key: "Reference", value: view.reference });
  if (view.protectedCharacteristic) {
    rows.push({
      key: "Protected characteristic",
      value: (PROTECTED_CHARACTERISTICS as Record<string, string>)[view.protectedCharacteristic] ?? "Not given",
    });
  }
  rows.push({ key: "How to contact", value: CONTACT_METHOD_LABELS[view.contactMethod] });
  if (view.safeContact) rows.push({ key: "Safe contact details and times", value: <MessageText text={view.safeContact} /> });
  if (view.viewerIsRequester && view.anonymousToSupporter) {
    rows.push({ key: "Your name", value: `Not shown to ${view.supporterName}: you appear as \u201c${ANONYMOUS}\u201d` });
  }
  return rows;
}

function Heading({ view, now }: { view: RequestView; now: Date }) {
  const title = view.viewerIsRequester
    ? `Your request to ${view.supporterName}`
    : `Request from ${view.requesterName ?? "an anonymous colleague"}`;
  return (
    <>
      <span className="govuk-caption-l">Sent {formatDay(view.createdAt, now)}</span>
      <h1 className="govuk-heading-l">{title}</h1>
      <p className="govuk-body">
        Status: <StatusTag status={view.status} />
        {isOverdue(view.status, view.acknowledgeBy, now) && (
          <>
            {" "}
            <OverdueTag />
          </>
        )}
      </p>
      <p className="govuk-body">{meaning(view, now)}</p>
      {view.status === "declined" && (
        <InsetText>
          {view.declineReason ? (
            <>
              <p className="govuk-body">{view.viewerIsRequester ? `${view.supporterName} gave this reason:` : "The reason you gave:"}</p>
              <MessageText text={view.declineReason} />
            </>
          ) : (
            <p className="govuk-body">The reason was erased with the request.</p>
          )}
          {view.viewerIsRequester && (
            <p className="govuk-body">
              <Link className="govuk-link" href="/supporters" prefetch={false}>
                Choose someone else
              </Link>{" "}
              from the supporters who are available.
            </p>
          )}
        </InsetText>
      )}
    </>
  );
}

function Body({ view, now }: { view: RequestView; now: Date }) {
  return (
    <>
      <SummaryList rows={detailRows(view)} />
      <h2 className="govuk-heading-m">{view.viewerIsRequester ? "Your message" : "Their message"}</h2>
      {view.erasedAt ? (
        <InsetText>
          <p className="govuk-body">The content of this request was erased on {formatDay(view.erasedAt, now)}.</p>
        </InsetText>
      ) : (
        <InsetText>
          <MessageText text={view.message ?? ""} />
        </InsetText>
      )}
      <h2 className="govuk-heading-m" id="conversation">
        Conversation
      </h2>
      <Conversation
        messages={view.messages}
        erased={view.erasedAt !== null}
        page={view.messagePage}
        href={conversationHref(view.id)}
      />
    </>
  );
}

function RequesterChoices({ view }: { view: RequestView }) {
  const open = isOpen(view.status);
  if (!open && view.erasedAt) return null;
  return (
    <section aria-labelledby="choices-heading">
      <h2 className="govuk-heading-m" id="choices-heading">
        {open ? "Withdraw or erase your request" : "Erase your request"}
      </h2>
      <p className="govuk-body">
        {open
          ? "You can withdraw your request at any time. You can also erase it now: your message and the conversation are deleted for good."
          : `Your message and the conversation are erased automatically some time after a request ends. You can erase them now instead.`}
      </p>
      <ButtonGroup>
        {open && (
          <Button href={`/requests/${view.id}?confirm=withdraw`} variant="secondary">
            Withdraw request
          </Button>
        )}
        {!view.erasedAt && (
          <Button href={`/requests/${view.id}?confirm=erase`} variant="warning">
            Erase now
          </Button>
        )}
      </ButtonGroup>
    </section>
  );
}

export default async function RequestPage({ params, searchParams }: Props) {
  const viewer = await requireUser();
  const query = await searchParams;
  const view = loadRequest(viewer, (await params).id, MessagesParam.parse(query.messages));
  const now = clock.now();
  const back = view.viewerIsRequester
    ? { href: "/requests", text: "Back to your requests" }
    : { href: "/inbox", text: "Back to your inbox" };

  // The requester's confirmation pages, only while the choice is still open to them.
  const confirm = view.viewerIsRequester ? Confirm.parse(query.confirm) : undefined;
  if (confirm === "withdraw" && isOpen(view.status)) {
    return (
      <>
        <BackLink href={`/requests/${view.id}`}>Back to your request</BackLink>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <ConfirmWithdraw requestId={view.id} supporterName={view.supporterName} />
          </div>
        </div>
      </>
    );
  }
  if (confirm === "erase" && !view.erasedAt) {
    return (
      <>
        <BackLink href={`/requests/${view.id}`}>Back to your request</BackLink>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <ConfirmErase requestId={view.id} supporterName={view.supporterName} open={isOpen(view.status)} />
          </div>
        </div>
      </>
    );
  }

  const done = isRequestDone(query.done) ? query.done : undefined;
  // A fresh set of forms whenever the request has moved on, so an old refusal is not shown against the new state.
  const key = [view.status, view.messagePage.total, view.handoverSupporter?.id ?? "", view.supporterId, done ?? ""].join(":");
  return (
    <>
      <BackLink href={back.href}>{back.text}</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <DoneBanner done={done} />
          <RequestWorkspace
            key={key}
            requestId={view.id}
            viewerIsRequester={view.viewerIsRequester}
            status={view.status}
            supporterName={view.supporterName}
            proposed={view.viewerIsRequester ? view.handoverSupporter : null}
            candidates={candidatesFor(viewer, view)}
            heading={<Heading view={view} now={now} />}
            body={<Body view={view} now={now} />}
            footer={view.viewerIsRequester ? <RequesterChoices view={view} /> : undefined}
          />
        </div>
      </div>
    </>
  );
}
