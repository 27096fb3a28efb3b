import type { Metadata } from "next";

import { InsetText } from "@/components/govuk/inset-text";
import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

// The layout's title template only applies below the root segment, so the home page spells its title out.
export const metadata: Metadata = { title: { absolute: "Home – Confide" } };

const DESTINATIONS = [
  {
    href: "/supporters",
    title: "Find an equality supporter",
    description:
      "Trained colleagues who listen in confidence and help you think through your options if you feel you have been treated unfairly, bullied, harassed or discriminated against.",
  },
  {
    href: "/networks",
    title: "Browse staff support networks",
    description: "Find out what each network does and join one. You choose whether other members can see that you have joined.",
  },
  {
    href: "/requests",
    title: "Your requests",
    description: "Read replies from your supporter, send a message or withdraw a request.",
  },
  {
    href: "/help",
    title: "Help and staying safe",
    description: "What supporters can and cannot do, the limits of confidentiality and how to use Confide safely.",
  },
] as const;

export default async function HomePage() {
  await requireUser();
  const { FORCE_NAME } = env();

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Confidential support for everyone at {FORCE_NAME}</h1>
        <p className="govuk-body-l">
          Get confidential, impartial support from a trained equality supporter or a staff support network. Officers,
          police staff, special constables and volunteers can all use Confide.
        </p>

        <ul className="govuk-list">
          {DESTINATIONS.map((destination) => (
            <li className="govuk-!-margin-bottom-6" key={destination.href}>
              <h2 className="govuk-heading-m govuk-!-margin-bottom-2">
                <a className="govuk-link govuk-link--no-visited-state" href={destination.href}>
                  {destination.title}
                </a>
              </h2>
              <p className="govuk-body">{destination.description}</p>
            </li>
          ))}
        </ul>

        <InsetText>
          <p className="govuk-body">
            To leave Confide quickly, select <strong>Exit this page</strong> or press the Shift key 3 times. Confide is
            replaced by an everyday website.
          </p>
          <p className="govuk-body">
            If someone might check this device, read{" "}
            <a className="govuk-link" href="/help#staying-safe">
              how to stay safe online
            </a>
            .
          </p>
        </InsetText>
      </div>
    </div>
  );
}
