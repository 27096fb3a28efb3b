import type { Metadata } from "next";

import { InsetText } from "@/components/govuk/inset-text";
import { WarningText } from "@/components/govuk/warning-text";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Help" };

export default async function HelpPage() {
  await requireUser();
  const { RETENTION_DAYS } = env();

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Help</h1>
        <p className="govuk-body-l">
          Equality supporters are part of the Equality Supporters Scheme, which the Equality Unit has run since 1991.
          They are police officers and police staff of different ranks and roles who have been trained in equality,
          diversity and equal opportunity issues.
        </p>
        <p className="govuk-body">
          They give confidential and impartial support to anyone in the force who feels they have been treated
          unfairly, or who has been bullied, harassed or discriminated against at work.
        </p>

        <h2 className="govuk-heading-s">Contents</h2>
        <ul className="govuk-list">
          <li>
            <a className="govuk-link" href="#what-supporters-can-do">
              What an equality supporter can do
            </a>
          </li>
          <li>
            <a className="govuk-link" href="#what-supporters-cannot-do">
              What an equality supporter cannot do
            </a>
          </li>
          <li>
            <a className="govuk-link" href="#confidentiality">
              Confidentiality and its limits
            </a>
          </li>
          <li>
            <a className="govuk-link" href="#staying-safe">
              Staying safe online
            </a>
          </li>
        </ul>

        <h2 className="govuk-heading-l" id="what-supporters-can-do">
          What an equality supporter can do
        </h2>
        <p className="govuk-body">An equality supporter can:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>listen to you in confidence</li>
          <li>explain your options and the force&apos;s policies, for example on grievances, bullying and harassment</li>
          <li>
            tell you about other support, such as Occupational Health, the Police Federation or Unison, and the
            Employee Assistance Programme
          </li>
          <li>help you prepare for a conversation, for example with your line manager</li>
          <li>go with you to meetings, where that is appropriate</li>
        </ul>
        <p className="govuk-body">You decide what happens next. A supporter will not act without your agreement.</p>

        <h2 className="govuk-heading-l" id="what-supporters-cannot-do">
          What an equality supporter cannot do
        </h2>
        <p className="govuk-body">An equality supporter cannot:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>investigate what happened</li>
          <li>take sides</li>
          <li>act as your legal representative</li>
          <li>make decisions for you</li>
          <li>keep something secret if there is a risk of serious harm to you or someone else</li>
        </ul>
        <p className="govuk-body">
          If you want to make a formal complaint or grievance, your supporter can explain how to do it and who can
          help you.
        </p>

        <h2 className="govuk-heading-l" id="confidentiality">
          Confidentiality and its limits
        </h2>
        <p className="govuk-body">
          Only you and your supporter can read your request and your messages. The Equality Unit, network coordinators
          and other supporters cannot read them. The Equality Unit only sees numbers, such as how many requests there
          are and how quickly they are answered.
        </p>
        <p className="govuk-body">
          You can choose to stay anonymous to your supporter. They will see &lsquo;Anonymous colleague&rsquo; and you
          will only talk through messages in Confide. You can also name people who must not be involved in your
          request.
        </p>
        <p className="govuk-body">There are limits to confidentiality:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            supporters who are police officers are bound by the Standards of Professional Behaviour, which include a
            duty to report improper conduct by colleagues
          </li>
          <li>if there is a risk of serious harm to you or someone else, a supporter may have to tell someone</li>
          <li>safeguarding concerns, for example about a child or an adult at risk, must be passed on</li>
          <li>a court or another legal order can require information to be shared</li>
        </ul>
        <p className="govuk-body">
          Where they can, your supporter will talk to you before sharing anything. You will be asked to confirm that
          you understand these limits before you send a request.
        </p>
        <p className="govuk-body">
          Your request and your messages are deleted {RETENTION_DAYS} days after the request is closed or withdrawn.
          You can withdraw your request and delete it at any time.
        </p>

        <h2 className="govuk-heading-l" id="staying-safe">
          Staying safe online
        </h2>
        <InsetText>
          To leave Confide quickly, select <strong>Exit this page</strong> at the top of every page, or press the Shift
          key 3 times. Confide is replaced by an everyday website.
        </InsetText>
        <p className="govuk-body">To keep your use of Confide private:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            use a private browsing window on a shared or borrowed device, for example InPrivate in Microsoft Edge or
            Incognito in Google Chrome, so that pages are not kept in the browser&apos;s history
          </li>
          <li>
            sign out when you have finished and close the browser window (Confide also signs you out after 30 minutes
            without activity)
          </li>
          <li>
            if someone else may look at your device, clear your browsing history, because pages you looked at before
            you used Exit this page can still be in it
          </li>
          <li>
            choose a safe way to be contacted: if you give your supporter a phone number or address, make sure nobody
            else reads messages or answers calls to it, or choose to talk only through messages in Confide
          </li>
        </ul>
        <p className="govuk-body">
          Emails from Confide never contain any details: no names, no network and nothing from your request. They only
          say that you have a new update and ask you to sign in to read it.
        </p>
        <WarningText>If you or someone else is in immediate danger, call 999.</WarningText>

        <h2 className="govuk-heading-m" id="feedback">
          Tell us what you think
        </h2>
        <p className="govuk-body">
          <a className="govuk-link" href="/feedback">
            Give feedback on Confide
          </a>{" "}
          to the Equality Unit, with your name or anonymously. You can also volunteer to take part in focus groups.
        </p>
      </div>
    </div>
  );
}
