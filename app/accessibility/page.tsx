import type { Metadata } from "next";

import { requireUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Accessibility statement" };

// Follows the GOV.UK model accessibility statement for public sector websites and intranets.
export default async function AccessibilityPage() {
  await requireUser();
  const { FORCE_NAME } = env();

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Accessibility statement for Confide</h1>
        <p className="govuk-body">
          This accessibility statement applies to Confide, the {FORCE_NAME} service for finding staff support networks
          and equality supporters and for asking for confidential contact.
        </p>
        <p className="govuk-body">
          This service is run by the Equality Unit. We want as many people as possible to be able to use it. For
          example, that means you should be able to:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>change colours, contrast levels and fonts using browser or device settings</li>
          <li>zoom in up to 400% without the text spilling off the screen</li>
          <li>make all text larger using the text size setting in your account</li>
          <li>navigate the service using just a keyboard</li>
          <li>navigate most of the service using speech recognition software</li>
          <li>listen to most of the service using a screen reader, such as JAWS, NVDA or VoiceOver</li>
          <li>use the service without JavaScript</li>
        </ul>
        <p className="govuk-body">We have also made the text in the service as simple as possible to understand.</p>

        <h2 className="govuk-heading-l">How accessible this service is</h2>
        <p className="govuk-body">We do not know of any parts of this service that are not accessible.</p>

        <h2 className="govuk-heading-l">Feedback and contact information</h2>
        <p className="govuk-body">
          If you need information from this service in a different format, such as large print, easy read, an audio
          recording or braille, contact the Equality Unit through the force directory. You do not need to tell us why
          you were using Confide.
        </p>
        <p className="govuk-body">We will consider your request and get back to you within 5 working days.</p>

        <h2 className="govuk-heading-l">Reporting accessibility problems with this service</h2>
        <p className="govuk-body">
          We are always looking to improve the accessibility of this service. If you find any problems that are not
          listed on this page, or you think we are not meeting accessibility requirements, contact the Equality Unit.
        </p>

        <h2 className="govuk-heading-l">Enforcement procedure</h2>
        <p className="govuk-body">
          The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies
          (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the &lsquo;accessibility
          regulations&rsquo;). If you are not happy with how we respond to your complaint, contact the Equality
          Advisory and Support Service (EASS).
        </p>

        <h2 className="govuk-heading-l">Technical information about this service&apos;s accessibility</h2>
        <p className="govuk-body">
          {FORCE_NAME} is committed to making its websites and intranet services accessible, in accordance with the
          Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.
        </p>
        <h3 className="govuk-heading-m">Compliance status</h3>
        <p className="govuk-body">
          This service is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard.
        </p>

        <h2 className="govuk-heading-l">How we tested this service</h2>
        <p className="govuk-body">We test the service every time it changes. We:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>run automated axe-core checks against the WCAG 2.2 A and AA rules on every page</li>
          <li>check every page manually using only a keyboard</li>
        </ul>

        <h2 className="govuk-heading-l">Preparation of this accessibility statement</h2>
        <p className="govuk-body">
          This statement was prepared on 25 November 2026. It was last reviewed on 25 November 2026.
        </p>
        <p className="govuk-body">
          This service was last tested on 25 November 2026 against the WCAG 2.2 AA standard. The test was carried out
          by the Confide development team.
        </p>
      </div>
    </div>
  );
}
