"use client";

import { useActionState, type ReactNode } from "react";

import {
  acknowledgeAction,
  answerHandoverAction,
  closeAction,
  declineAction,
  proposeHandoverAction,
  replyAction,
  startAction,
  type RequestForm,
  type RequestFormState,
} from "@/app/requests/[id]/actions";
import { Button } from "@/components/govuk/button";
import { ErrorSummary, type ErrorSummaryItem } from "@/components/govuk/error-summary";
import { fieldError, type FieldErrors } from "@/components/govuk/field";
import { Radios } from "@/components/govuk/radios";
import { Select } from "@/components/govuk/select";
import { Textarea } from "@/components/govuk/textarea";
import type { RequestStatus } from "@/db/schema";
import { REQUEST_OUTCOMES } from "@/lib/vocabulary";

type Candidate = { id: string; name: string; roleTitle: string; site: string };

export type WorkspaceProps = {
  requestId: string;
  viewerIsRequester: boolean;
  status: RequestStatus;
  supporterName: string;
  /** The supporter a handover was proposed to, when the requester is asked to answer. */
  proposed: { name: string; roleTitle: string; site: string } | null;
  /** Supporters this request may be handed to; only for the assigned supporter, when a handover is possible. */
  candidates: readonly Candidate[] | null;
  /** Status, what it means and the decline reason (server-rendered). */
  heading: ReactNode;
  /** The request's details, message and conversation (server-rendered). */
  body: ReactNode;
  /** Withdraw and erase, for the requester (links to their confirmation pages). */
  footer?: ReactNode;
};

// The field each form's error belongs to; a form with only a button has its button instead.
const TARGETS: Record<RequestForm, { field?: string; anchor: string }> = {
  reply: { field: "body", anchor: "body" },
  acknowledge: { anchor: "acknowledge" },
  start: { anchor: "start" },
  close: { field: "outcome", anchor: "outcome" },
  decline: { field: "reason", anchor: "reason" },
  handover: { field: "supporterId", anchor: "supporterId" },
  answer: { field: "answer", anchor: "answer" },
  withdraw: { anchor: "withdraw" },
  erase: { field: "confirm", anchor: "confirm" },
};

type Refusal = NonNullable<RequestFormState>;

// A refusal as errors on its field: a field error from zod, or a state error ("this conversation has ended") put
// on the form's main field when it has one.
function errorsOf(refusal: Refusal | undefined): FieldErrors | undefined {
  if (!refusal) return undefined;
  const target = TARGETS[refusal.form];
  const fieldErrors = refusal.fieldErrors ?? {};
  const known = Object.values(fieldErrors).some((messages) => messages && messages.length > 0);
  if (known) return fieldErrors;
  return target.field ? { [target.field]: [refusal.error] } : undefined;
}

function summaryOf(refusal: Refusal | undefined): ErrorSummaryItem[] {
  if (!refusal) return [];
  const target = TARGETS[refusal.form];
  const errors = errorsOf(refusal);
  const items: ErrorSummaryItem[] = [];
  for (const [name, messages] of Object.entries(errors ?? {})) {
    const text = messages?.[0];
    if (!text) continue;
    items.push({ href: `#${name === target.field ? target.anchor : name}`, text });
  }
  if (items.length === 0) items.push({ href: `#${target.anchor}`, text: refusal.error });
  return items;
}

function HiddenId({ requestId }: { requestId: string }) {
  return <input type="hidden" name="requestId" value={requestId} />;
}

// Every form on the request page. Each action has its own state; the error summary at the top shows the latest
// refusal, and its message sits on the field it is about. Without JavaScript the browser posts the form and the
// page comes back with that action's state, so everything works the same.
export function RequestWorkspace(props: WorkspaceProps) {
  const { requestId, viewerIsRequester, status, supporterName, proposed, candidates, heading, body, footer } = props;
  const [replyState, reply, replying] = useActionState(replyAction, undefined);
  const [acknowledgeState, acknowledge, acknowledging] = useActionState(acknowledgeAction, undefined);
  const [startState, start, starting] = useActionState(startAction, undefined);
  const [closeState, close, closing] = useActionState(closeAction, undefined);
  const [declineState, decline, declining] = useActionState(declineAction, undefined);
  const [handoverState, handover, handingOver] = useActionState(proposeHandoverAction, undefined);
  const [answerState, answer, answering] = useActionState(answerHandoverAction, undefined);
  const pending = replying || acknowledging || starting || closing || declining || handingOver || answering;

  const latest = [replyState, acknowledgeState, startState, closeState, declineState, handoverState, answerState]
    .filter((state): state is Refusal => state !== undefined)
    .sort((a, b) => b.at - a.at)[0];
  const errors = errorsOf(latest);
  const errorFor = (form: RequestForm, name: string) => (latest?.form === form ? fieldError(errors, name) : undefined);

  const open = status === "new" || status === "acknowledged" || status === "in_progress" || status === "handover_pending";
  const supporter = !viewerIsRequester;

  return (
    <>
      <ErrorSummary errors={summaryOf(latest)} />
      {heading}

      {viewerIsRequester && status === "handover_pending" && proposed && (
        <form action={answer} noValidate className="govuk-!-margin-bottom-6">
          <HiddenId requestId={requestId} />
          <Radios
            name="answer"
            legend={`${supporterName} suggests ${proposed.name} (${proposed.roleTitle}, ${proposed.site}) could help better. Do you agree?`}
            legendSize="m"
            error={errorFor("answer", "answer")}
            items={[
              {
                value: "yes",
                text: `Yes, move my request to ${proposed.name}`,
                hint: `${proposed.name} will be able to read your request and the conversation so far. ${supporterName} will no longer see it.`,
              },
              { value: "no", text: `No, stay with ${supporterName}` },
            ]}
          />
          <Button disabled={pending}>Send answer</Button>
        </form>
      )}

      {body}

      {open ? (
        <section aria-labelledby="reply-heading">
          <h2 className="govuk-heading-m" id="reply-heading">
            Send a message
          </h2>
          <form action={reply} noValidate>
            <HiddenId requestId={requestId} />
            <Textarea
              id="body"
              label="Your message"
              hint={
                viewerIsRequester
                  ? `Only you and ${supporterName} can read it. Up to 5,000 characters.`
                  : "Only you and the colleague who asked can read it. Up to 5,000 characters."
              }
              error={errorFor("reply", "body")}
              defaultValue={replyState?.values?.body}
              rows={6}
            />
            <Button disabled={pending}>Send message</Button>
          </form>
        </section>
      ) : (
        <p className="govuk-body">This request has ended, so no more messages can be sent.</p>
      )}

      {supporter && open && (
        <section aria-labelledby="next-heading">
          <h2 className="govuk-heading-m" id="next-heading">
            What you can do next
          </h2>

          {status === "new" && (
            <form action={acknowledge} className="govuk-!-margin-bottom-6">
              <HiddenId requestId={requestId} />
              <h3 className="govuk-heading-s">Acknowledge the request</h3>
              <p className="govuk-body">This tells the colleague you have seen their request and will be in touch.</p>
              <Button id="acknowledge" disabled={pending}>
                Acknowledge request
              </Button>
            </form>
          )}

          {status === "acknowledged" && (
            <form action={start} className="govuk-!-margin-bottom-6">
              <HiddenId requestId={requestId} />
              <h3 className="govuk-heading-s">Start working together</h3>
              <p className="govuk-body">Move the request to in progress once you have started supporting the colleague.</p>
              <Button id="start" disabled={pending}>
                Move to in progress
              </Button>
            </form>
          )}

          {(status === "acknowledged" || status === "in_progress") && (
            <form action={close} noValidate className="govuk-!-margin-bottom-6">
              <HiddenId requestId={requestId} />
              <Radios
                name="outcome"
                legend={<h3 className="govuk-fieldset__heading">Close the request</h3>}
                legendSize="s"
                hint="Choose the outcome. Only the outcome is kept for reports, never what was said."
                error={errorFor("close", "outcome")}
                items={Object.entries(REQUEST_OUTCOMES).map(([value, text]) => ({ value, text }))}
              />
              <Button variant="secondary" disabled={pending}>
                Close request
              </Button>
            </form>
          )}

          {(status === "new" || status === "acknowledged") && (
            <form action={decline} noValidate className="govuk-!-margin-bottom-6">
              <HiddenId requestId={requestId} />
              <h3 className="govuk-heading-s">Decline the request</h3>
              <p className="govuk-body">
                If you cannot help, for example because you know someone involved, decline it so the colleague can choose
                someone else.
              </p>
              <Textarea
                id="reason"
                label="Why are you declining this request?"
                hint="The colleague will see this. Up to 1,000 characters."
                error={errorFor("decline", "reason")}
                defaultValue={declineState?.values?.reason}
                rows={3}
              />
              <Button variant="warning" disabled={pending}>
                Decline request
              </Button>
            </form>
          )}

          {(status === "acknowledged" || status === "in_progress") && candidates && (
            <section aria-labelledby="handover-heading">
              <h3 className="govuk-heading-s" id="handover-heading">
                Suggest another supporter
              </h3>
              {candidates.length === 0 ? (
                <p className="govuk-body">No other supporter can take this request at the moment.</p>
              ) : (
                <form action={handover} noValidate>
                  <HiddenId requestId={requestId} />
                  <Select
                    id="supporterId"
                    label="Who could help better?"
                    hint="The request moves only if the colleague agrees. Until then it stays with you."
                    error={errorFor("handover", "supporterId")}
                    items={[
                      { value: "", text: "Choose a supporter" },
                      ...candidates.map((c) => ({ value: c.id, text: `${c.name} (${c.roleTitle}, ${c.site})` })),
                    ]}
                    defaultValue=""
                  />
                  <Button variant="secondary" disabled={pending}>
                    Propose handover
                  </Button>
                </form>
              )}
            </section>
          )}
        </section>
      )}

      {footer}
    </>
  );
}
