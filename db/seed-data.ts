import { DEMO_ACCOUNTS } from "@/dev-idp/accounts";
import { addYears } from "@/lib/clock";
import type { ContactMethod, Language, Specialism } from "@/lib/vocabulary";
import type { Role, SUPPORTER_STATUSES } from "./schema";

export { CONTACT_METHODS, LANGUAGES, SPECIALISMS } from "@/lib/vocabulary";

// Demo and test data only. Every person here is fictional; the networks are the seven internal support networks
// named on the Leicestershire Police equality page (seeds/002). That page names the networks but does not describe
// them, so the descriptions below are written from its account of what the networks are for ("essential to our
// police officers and police staff feeling that the organisation cares about them … assist both individuals and
// the organisation") and the force's equality objectives on the same page.

export type SupporterStatus = (typeof SUPPORTER_STATUSES)[number];

// ---------------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------------

export type JoinPolicy = "open" | "approval";

export type NetworkSeed = {
  slug: string;
  name: string;
  summary: string;
  description: string;
  whoFor: string;
  howToJoin: string;
  joinPolicy: JoinPolicy;
  /** What the network offers members: events, mentoring, peer support. */
  offers: string;
  /** The network's shared mailbox, so nobody has to write to a coordinator's own address. */
  contactMailbox: string;
};

export type StaffSeed = {
  email: string;
  name: string;
  department: string;
  site: string;
  jobTitle: string;
};

export type SupporterSeed = {
  email: string; // the StaffSeed this profile belongs to
  status: SupporterStatus;
  roleTitle: string;
  site: string;
  introduction: string;
  workingPattern: string;
  trainedOn: string; // ISO date
  refresherDue: string; // ISO date
  pausedUntil: string | null;
  pauseReason: string | null;
  capacity: number;
  specialisms: readonly Specialism[];
  languages: readonly Language[];
  contactMethods: readonly ContactMethod[];
};

export type MembershipSeed = {
  network: string; // slug
  email: string;
  status: "active" | "pending";
  visibility: "visible" | "silent";
};

export type CoordinatorSeed = { network: string; email: string };

export type RoleGrantSeed = { email: string; role: Role };

// ---------------------------------------------------------------------------------------------------------------
// Networks
// ---------------------------------------------------------------------------------------------------------------

const OPEN_JOIN =
  "Select \u201cJoin this network\u201d. You become a member straight away. You choose whether other members can see " +
  "you; if you do not choose, only the network\u2019s coordinators know you have joined. You can leave at any time.";

const APPROVAL_JOIN =
  "Select \u201cAsk to join\u201d. One of the network\u2019s coordinators will confirm your request, usually within a few " +
  "working days. Until then you cannot see the member list, and nobody outside the network is told that you asked. " +
  "You choose whether other members can see you, and you can leave at any time.";

// Approval networks: the coordinator confirms each request before the newcomer can see the visible members. Those
// lists reveal sexual orientation, gender identity or health, and an open door would let anyone join simply to find
// out who is gay, trans or disabled — in a workforce where being outed can affect someone's safety and career.
// Every approval network has a coordinator below, or requests would wait for ever.
export const NETWORKS: readonly NetworkSeed[] = [
  {
    slug: "association-of-muslim-police",
    name: "Association of Muslim Police",
    summary: "Support, advice and friendship for Muslim officers and staff, and a Muslim voice in how the force works.",
    description:
      "The Association of Muslim Police is one of the force\u2019s seven internal support networks. It supports Muslim " +
      "police officers and police staff at work, from everyday matters such as prayer rooms, fasting during Ramadan " +
      "and leave for Eid, to advice if you feel you have been treated unfairly because of your faith. It also helps " +
      "the force understand the Muslim communities of Leicester, Leicestershire and Rutland, and advises on " +
      "recruitment, policy and community engagement. It is run by colleagues who give their own time to help both " +
      "individuals and the organisation.",
    whoFor:
      "Muslim police officers, police staff, special constables and volunteers. Colleagues of other faiths or none " +
      "who want to support its work are welcome too.",
    howToJoin: OPEN_JOIN,
    joinPolicy: "open",
    offers:
      "Peer support and mentoring, help with prayer facilities and fasting during Ramadan, Eid gatherings, and community engagement events.",
    contactMailbox: "muslim.police.association@example.org",
  },
  {
    slug: "black-support-network",
    name: "Black Support Network",
    summary: "A network for Black and minority ethnic colleagues: support, mentoring and a voice on race equality.",
    description:
      "The Black Support Network supports officers and staff of Black, Asian and other minority ethnic heritage. " +
      "Members offer each other a listening ear, informal mentoring and help with promotion and development. The " +
      "network works with the Equality Unit on the force\u2019s equality objectives: a workforce that reflects the " +
      "communities we serve, and reducing the difference in how often Black and white people are stopped and " +
      "searched. It also gives advice to senior leaders when policies or practices may affect colleagues or " +
      "communities differently because of race.",
    whoFor:
      "Officers, police staff, special constables and volunteers of Black, Asian and other minority ethnic heritage, " +
      "and allies who want to support race equality in the force.",
    howToJoin: OPEN_JOIN,
    joinPolicy: "open",
    offers:
      "Informal mentoring, promotion and development workshops, a listening ear from colleagues who understand, and Black History Month events.",
    contactMailbox: "black.support.network@example.org",
  },
  {
    slug: "christian-police-association",
    name: "Christian Police Association",
    summary: "Fellowship and support for Christians working in policing, and a listening ear for any colleague.",
    description:
      "The Christian Police Association brings together Christian officers and staff for fellowship, prayer and " +
      "mutual support. It is part of a national association that has supported Christians in policing since 1883. " +
      "Locally it offers a friendly contact for colleagues going through difficult times, whatever their beliefs, " +
      "and helps the force understand the needs of Christian staff and churches in our communities.",
    whoFor:
      "Christian police officers, police staff, special constables and volunteers of any denomination. Anyone " +
      "interested in its work is welcome to come along.",
    howToJoin: OPEN_JOIN,
    joinPolicy: "open",
    offers:
      "Fellowship meetings, prayer support, a friendly contact in difficult times, and carol services at Christmas.",
    contactMailbox: "christian.police.association@example.org",
  },
  {
    slug: "disability-support-network",
    name: "Disability Support Network",
    summary: "Support for colleagues with a disability, long-term condition or neurodivergence, and for their carers.",
    description:
      "The Disability Support Network supports colleagues with visible and hidden disabilities, long-term health " +
      "conditions and neurodivergent conditions such as autism, ADHD and dyslexia, and colleagues who care for a " +
      "disabled person. Members share practical experience of reasonable adjustments, returning to work and " +
      "talking to a manager about a condition. The network advises the force on making its buildings, systems " +
      "and policies accessible, so that everyone can do their best work.",
    whoFor:
      "Officers, police staff, special constables and volunteers who have a disability, a long-term condition or " +
      "are neurodivergent, carers of disabled people, and allies. You do not need a diagnosis to join.",
    howToJoin: APPROVAL_JOIN,
    joinPolicy: "approval",
    offers:
      "Peer support, advice on reasonable adjustments and returning to work, a neurodiversity support group, and accessibility reviews of buildings and systems.",
    contactMailbox: "disability.network@example.org",
  },
  {
    slug: "lgbt-plus-network",
    // The source page says "LGBT Network"; the force now uses LGBT+ to include everyone the network supports.
    name: "LGBT+ Network",
    summary: "A safe, confidential network for lesbian, gay, bisexual and trans colleagues and their allies.",
    description:
      "The LGBT+ Network supports lesbian, gay, bisexual, trans, non-binary and questioning officers and staff. It " +
      "offers a confidential place to talk, whether or not you are out at work, and practical help if you face " +
      "prejudice or want advice on coming out or transitioning at work. The network helps the force build the " +
      "confidence of LGBT+ communities to report hate crime, and takes part in the force\u2019s work with Stonewall " +
      "on being an inclusive employer.",
    whoFor:
      "Lesbian, gay, bisexual, trans, non-binary and questioning officers, police staff, special constables and " +
      "volunteers, and allies who want to support them. Nobody needs to say why they are joining.",
    howToJoin: APPROVAL_JOIN,
    joinPolicy: "approval",
    offers:
      "Confidential peer support, advice on coming out or transitioning at work, social events, and Pride and LGBT+ History Month events.",
    contactMailbox: "lgbt.network@example.org",
  },
  {
    slug: "sikh-police-association",
    name: "Sikh Police Association",
    summary: "Support and advice for Sikh officers and staff, and a link between the force and Sikh communities.",
    description:
      "The Sikh Police Association supports Sikh officers and staff in their careers and in practising their faith " +
      "at work, including advice on wearing the turban and the five articles of faith with uniform and protective " +
      "equipment. It helps the force build trust with Sikh communities and gurdwaras across the area, encourages " +
      "people from those communities to join the force, and offers a friendly contact to any colleague who feels " +
      "treated unfairly because of their faith.",
    whoFor:
      "Sikh police officers, police staff, special constables and volunteers, and colleagues who want to support " +
      "its work.",
    howToJoin: OPEN_JOIN,
    joinPolicy: "open",
    offers:
      "Advice on the turban and articles of faith with uniform, mentoring, Vaisakhi celebrations, and links with gurdwaras across the area.",
    contactMailbox: "sikh.police.association@example.org",
  },
  {
    slug: "womens-network",
    name: "Women's Network",
    summary: "Support, development and a stronger voice for women at every rank and grade.",
    description:
      "The Women\u2019s Network supports women officers and staff throughout their careers, from joining to retirement. " +
      "It runs development and mentoring sessions, shares advice on flexible working, pregnancy and maternity and " +
      "the menopause, and raises issues that affect women at work with senior leaders. It works with the British " +
      "Association of Women Police, of which the force is a corporate member.",
    whoFor:
      "Women officers, police staff, special constables and volunteers, and colleagues of any gender who want to " +
      "support gender equality in the force.",
    howToJoin: OPEN_JOIN,
    joinPolicy: "open",
    offers:
      "Development and mentoring sessions, advice on flexible working, pregnancy and maternity and the menopause, and an annual conference.",
    contactMailbox: "womens.network@example.org",
  },
];

export const LGBT_NETWORK_SLUG = "lgbt-plus-network";

// ---------------------------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------------------------

// Same accounts as the development identity provider, so the seeded records are the ones people sign in to.
const DEMO_JOB_TITLES: Record<(typeof DEMO_ACCOUNTS)[number]["email"], string> = {
  "alex.staff@example.org": "Police Constable",
  "sam.supporter@example.org": "Police Staff \u2013 Case Progression Officer",
  "casey.coordinator@example.org": "Police Staff \u2013 Contact Management Supervisor",
  "eve.equality@example.org": "Police Staff \u2013 Equality and Inclusion Adviser",
};

export const DEMO_STAFF: readonly StaffSeed[] = DEMO_ACCOUNTS.map((account) => ({
  email: account.email,
  name: account.name,
  department: account.department,
  site: account.site,
  jobTitle: DEMO_JOB_TITLES[account.email],
}));

export const DEMO_EMAILS = {
  staff: DEMO_ACCOUNTS[0].email,
  supporter: DEMO_ACCOUNTS[1].email,
  coordinator: DEMO_ACCOUNTS[2].email,
  equalityUnit: DEMO_ACCOUNTS[3].email,
} as const;

type SupporterPerson = StaffSeed &
  Omit<SupporterSeed, "email" | "site" | "refresherDue" | "pausedUntil" | "pauseReason" | "roleTitle"> & {
    pausedUntil?: string;
    pauseReason?: string;
  };

// Dates are relative to the demo's "now" of late 2026: active supporters' refreshers are all in the future, except
// where a state is shown on purpose (Helen Whitaker's refresher falls due in January 2027, within the 60-day
// reminder window; Barbara Lewis has lapsed; Graham Wright has retired; Wei Chen is paused).
const SUPPORTER_PEOPLE: readonly SupporterPerson[] = [
  {
    email: "sam.supporter@example.org",
    name: "Sam Patel",
    department: "Criminal Justice",
    site: "Keyham Lane",
    jobTitle: DEMO_JOB_TITLES["sam.supporter@example.org"],
    status: "active",
    introduction:
      "I have worked in criminal justice for twelve years and became a supporter because I know how isolating it " +
      "can feel when something at work is not right. I will listen without judging and help you work out your " +
      "options, at your pace.",
    workingPattern: "Monday to Friday, 8am to 4pm",
    trainedOn: "2025-03-04",
    capacity: 4,
    specialisms: ["Race and ethnicity", "Religion and belief", "Bullying and harassment"],
    languages: ["English", "Gujarati", "Hindi"],
    contactMethods: ["in_app", "phone", "in_person"],
  },
  {
    email: "priya.sharma@example.org",
    name: "Priya Sharma",
    department: "Response Policing",
    site: "Beaumont Leys",
    jobTitle: "Police Sergeant",
    status: "active",
    introduction:
      "I am a response sergeant and a mum of two, so I understand the pressure of shifts and family life. If you " +
      "are worried about how you are being treated, I am happy to talk it through in confidence.",
    workingPattern: "Four on, four off shift pattern (days and nights)",
    trainedOn: "2025-06-17",
    capacity: 3,
    specialisms: ["Sex and gender", "Pregnancy and maternity", "Bullying and harassment"],
    languages: ["English", "Hindi", "Punjabi"],
    contactMethods: ["in_app", "phone", "video"],
  },
  {
    email: "marcus.johnson@example.org",
    name: "Marcus Johnson",
    department: "Neighbourhood Policing",
    site: "Euston Road",
    jobTitle: "Inspector",
    status: "active",
    introduction:
      "I joined as a PCSO twenty years ago and have seen the force change a lot. I want everyone to feel they " +
      "belong here, and I will give you honest, confidential support if you feel you do not.",
    workingPattern: "Monday to Friday, 9am to 5pm, with some evenings",
    trainedOn: "2024-12-10",
    capacity: 3,
    specialisms: ["Race and ethnicity", "Mental health and wellbeing", "Bullying and harassment"],
    languages: ["English"],
    contactMethods: ["in_app", "phone", "in_person"],
  },
  {
    email: "aisha.rahman@example.org",
    name: "Aisha Rahman",
    department: "People Services",
    site: "Force HQ",
    jobTitle: "Police Staff \u2013 HR Adviser",
    status: "active",
    introduction:
      "I work in HR, but as a supporter I am here for you, not for the organisation. I can explain how policies " +
      "work, what your choices are and what the limits of confidentiality mean for you.",
    workingPattern: "Monday to Thursday, 8:30am to 5pm",
    trainedOn: "2025-09-23",
    capacity: 5,
    specialisms: ["Religion and belief", "Sex and gender", "Menopause"],
    languages: ["English", "Bengali"],
    contactMethods: ["in_app", "phone", "video", "in_person"],
  },
  {
    email: "tomasz.kowalski@example.org",
    name: "Tomasz Kowalski",
    department: "Roads Policing",
    site: "Melton Mowbray",
    jobTitle: "Police Constable",
    status: "active",
    introduction:
      "I moved to Leicestershire from Poland as a teenager and have been a roads officer for eight years. I care " +
      "for my dad, so I know how hard it can be to juggle work and home. Get in touch any time.",
    workingPattern: "Shifts, mostly early and late turns",
    trainedOn: "2026-02-09",
    capacity: 2,
    specialisms: ["Race and ethnicity", "Carers", "Mental health and wellbeing"],
    languages: ["English", "Polish"],
    contactMethods: ["in_app", "phone"],
  },
  {
    email: "gurpreet.sandhu@example.org",
    name: "Gurpreet Sandhu",
    department: "Criminal Investigation Department",
    site: "Loughborough",
    jobTitle: "Detective Constable",
    status: "active",
    introduction:
      "I have been a detective for six years and a supporter since 2025. I know that speaking up can feel risky, " +
      "so I will always go at your pace and talk to you before anything happens.",
    workingPattern: "Monday to Friday, 8am to 6pm, occasional weekends",
    trainedOn: "2025-05-12",
    capacity: 3,
    specialisms: ["Religion and belief", "Sex and gender", "Carers"],
    languages: ["English", "Punjabi"],
    contactMethods: ["in_app", "video", "in_person"],
  },
  {
    email: "daniel.oconnor@example.org",
    name: "Daniel O'Connor",
    department: "Operations",
    site: "Force HQ",
    jobTitle: "Chief Inspector",
    status: "active",
    introduction:
      "I came out at work fifteen years ago, when it was much harder than it is now. Whatever your rank or role, " +
      "you deserve to be treated with respect, and I am glad to listen if you are not.",
    workingPattern: "Monday to Friday, 8am to 5pm",
    trainedOn: "2025-11-04",
    capacity: 2,
    specialisms: ["Sexual orientation", "Gender identity", "Mental health and wellbeing"],
    languages: ["English"],
    contactMethods: ["in_app", "phone", "video"],
  },
  {
    email: "hodan.ali@example.org",
    name: "Hodan Ali",
    department: "Neighbourhood Policing",
    site: "Beaumont Leys",
    jobTitle: "Police Community Support Officer",
    status: "active",
    introduction:
      "I am a PCSO in the community I grew up in. People often tell me things they would not say to anyone else, " +
      "and I take that trust seriously. You can talk to me in English, Somali or Arabic.",
    workingPattern: "Tuesday to Saturday, 10am to 6pm",
    trainedOn: "2026-04-21",
    capacity: 3,
    specialisms: ["Race and ethnicity", "Religion and belief", "Age"],
    languages: ["English", "Somali", "Arabic"],
    contactMethods: ["in_app", "phone", "in_person"],
  },
  {
    email: "rachel.green@example.org",
    name: "Rachel Green",
    department: "Contact Management",
    site: "Force HQ",
    jobTitle: "Call Handler",
    status: "active",
    introduction:
      "I am deaf and use British Sign Language as well as English. I became a supporter because reasonable " +
      "adjustments should not be a battle. I am happy to meet in person or chat by message or video.",
    workingPattern: "Rotating shifts, including weekends",
    trainedOn: "2025-02-25",
    capacity: 3,
    specialisms: ["Disability and neurodiversity", "Mental health and wellbeing", "Bullying and harassment"],
    languages: ["English", "British Sign Language"],
    contactMethods: ["in_app", "video", "in_person"],
  },
  {
    email: "ioana.popescu@example.org",
    name: "Ioana Popescu",
    department: "Digital Forensics",
    site: "Hinckley",
    jobTitle: "Police Staff \u2013 Digital Forensics Investigator",
    status: "active",
    introduction:
      "I joined the force from industry four years ago. I know what it is like to be new, to be from somewhere " +
      "else and to wonder whether to say something. Message me and we can take it from there.",
    workingPattern: "Monday to Friday, 7:30am to 3:30pm",
    trainedOn: "2026-06-08",
    capacity: 4,
    specialisms: ["Race and ethnicity", "Bullying and harassment", "Sex and gender"],
    languages: ["English", "Romanian"],
    contactMethods: ["in_app", "video"],
  },
  {
    email: "kwame.mensah@example.org",
    name: "Kwame Mensah",
    department: "Special Constabulary",
    site: "Coalville",
    jobTitle: "Special Constable",
    status: "active",
    introduction:
      "I volunteer as a special constable alongside my day job as a teacher. Specials can feel like outsiders, " +
      "and I want every volunteer to know there is someone on their side.",
    workingPattern: "Friday and Saturday evenings, some Sundays",
    trainedOn: "2025-08-30",
    capacity: 2,
    specialisms: ["Race and ethnicity", "Age", "Bullying and harassment"],
    languages: ["English"],
    contactMethods: ["in_app", "phone"],
  },
  {
    email: "helen.whitaker@example.org",
    name: "Helen Whitaker",
    department: "Custody",
    site: "Keyham Lane",
    jobTitle: "Police Sergeant",
    status: "active",
    introduction:
      "I have been a custody sergeant for ten years and went through the menopause on shift, so I know how hard " +
      "it can be to ask for help. I am a good listener and I will not judge.",
    workingPattern: "Days and nights, twelve-hour shifts",
    // Refresher due in January 2027: inside the 60-day reminder window.
    trainedOn: "2025-01-12",
    capacity: 3,
    specialisms: ["Menopause", "Sex and gender", "Age", "Pregnancy and maternity"],
    languages: ["English"],
    contactMethods: ["in_app", "phone", "in_person"],
  },
  {
    email: "jordan.blake@example.org",
    name: "Jordan Blake",
    department: "Response Policing",
    site: "Market Harborough",
    jobTitle: "Police Constable",
    status: "active",
    introduction:
      "I am a response officer, autistic, and trans. I know what it is like to feel you have to explain yourself " +
      "all the time. With me you do not have to.",
    workingPattern: "Four on, four off shift pattern",
    trainedOn: "2025-10-14",
    capacity: 3,
    specialisms: ["Gender identity", "Sexual orientation", "Disability and neurodiversity"],
    languages: ["English"],
    contactMethods: ["in_app", "phone", "video"],
  },
  {
    email: "fatima.hussain@example.org",
    name: "Fatima Hussain",
    department: "Learning and Development",
    site: "Force HQ",
    jobTitle: "Police Staff \u2013 Learning and Development Officer",
    status: "active",
    introduction:
      "I train new recruits, and I became a supporter after returning from maternity leave and seeing how much a " +
      "friendly ear helped me. I speak Urdu and Punjabi as well as English.",
    workingPattern: "Monday, Tuesday and Thursday, 9am to 5pm",
    trainedOn: "2026-01-20",
    capacity: 2,
    specialisms: ["Religion and belief", "Pregnancy and maternity", "Carers"],
    languages: ["English", "Urdu", "Punjabi"],
    contactMethods: ["in_app", "phone", "video", "in_person"],
  },
  {
    email: "imran.qureshi@example.org",
    name: "Imran Qureshi",
    department: "Neighbourhood Policing",
    site: "Loughborough",
    jobTitle: "Police Sergeant",
    status: "active",
    introduction:
      "I lead a neighbourhood team and I have been on both sides of difficult conversations. If something is " +
      "bothering you at work, I will help you think it through and find the right route.",
    workingPattern: "Monday to Friday, 7am to 3pm or 2pm to 10pm",
    trainedOn: "2026-09-15",
    capacity: 4,
    specialisms: ["Religion and belief", "Bullying and harassment", "Mental health and wellbeing"],
    languages: ["English", "Urdu"],
    contactMethods: ["in_app", "phone", "in_person"],
  },
  {
    email: "wei.chen@example.org",
    name: "Wei Chen",
    department: "Public Protection",
    site: "Euston Road",
    jobTitle: "Detective Sergeant",
    status: "paused",
    pausedUntil: "2027-03-01",
    pauseReason: "On secondment to a regional unit until the end of February 2027.",
    introduction:
      "I work in public protection and have been a supporter since 2025. I am taking a short break from new " +
      "requests, but I will be back in the spring.",
    workingPattern: "Monday to Friday, 8am to 4pm",
    trainedOn: "2025-04-07",
    capacity: 3,
    specialisms: ["Race and ethnicity", "Mental health and wellbeing"],
    languages: ["English"],
    contactMethods: ["in_app", "video"],
  },
  {
    email: "barbara.lewis@example.org",
    name: "Barbara Lewis",
    department: "Finance",
    site: "Force HQ",
    jobTitle: "Police Staff \u2013 Finance Officer",
    // Refresher training was due in May 2025 and not taken, so the profile is hidden from the directory.
    status: "lapsed",
    introduction:
      "I have worked in finance for over twenty years. I am a carer for my husband and understand how much the " +
      "right support at work matters.",
    workingPattern: "Monday to Friday, 9:30am to 2:30pm",
    trainedOn: "2023-05-16",
    capacity: 2,
    specialisms: ["Carers", "Age"],
    languages: ["English"],
    contactMethods: ["in_app", "phone"],
  },
  {
    email: "graham.wright@example.org",
    name: "Graham Wright",
    department: "Local Policing",
    site: "Hinckley",
    jobTitle: "Inspector",
    status: "retired",
    introduction:
      "I was a supporter for many years before stepping back from the role. Thank you to everyone who trusted me.",
    workingPattern: "Monday to Friday, 9am to 5pm",
    trainedOn: "2023-09-12",
    capacity: 3,
    specialisms: ["Bullying and harassment", "Age"],
    languages: ["English"],
    contactMethods: ["in_app", "phone", "in_person"],
  },
];

export const SUPPORTERS: readonly SupporterSeed[] = SUPPORTER_PEOPLE.map((p) => ({
  email: p.email,
  status: p.status,
  roleTitle: p.jobTitle,
  site: p.site,
  introduction: p.introduction,
  workingPattern: p.workingPattern,
  trainedOn: p.trainedOn,
  // The refresher falls due two years after training (DESIGN: roster lifecycle), so it is derived, never typed.
  refresherDue: addYears(p.trainedOn, 2),
  pausedUntil: p.pausedUntil ?? null,
  pauseReason: p.pauseReason ?? null,
  capacity: p.capacity,
  specialisms: p.specialisms,
  languages: p.languages,
  contactMethods: p.contactMethods,
}));

// Staff who are members of networks but not supporters.
const OTHER_STAFF: readonly StaffSeed[] = [
  { email: "chris.taylor@example.org", name: "Chris Taylor", department: "Response Policing", site: "Loughborough", jobTitle: "Police Constable" },
  { email: "leah.murphy@example.org", name: "Leah Murphy", department: "Intelligence", site: "Force HQ", jobTitle: "Police Staff \u2013 Intelligence Analyst" },
  { email: "ollie.bennett@example.org", name: "Ollie Bennett", department: "Neighbourhood Policing", site: "Coalville", jobTitle: "Police Community Support Officer" },
  { email: "nadia.begum@example.org", name: "Nadia Begum", department: "Contact Management", site: "Force HQ", jobTitle: "Call Handler" },
  { email: "ravi.chauhan@example.org", name: "Ravi Chauhan", department: "Criminal Investigation Department", site: "Euston Road", jobTitle: "Detective Constable" },
];

const DEMO_EMAIL_SET: ReadonlySet<string> = new Set(DEMO_STAFF.map((s) => s.email));

// Everyone, once: the demo accounts first (Sam's user record comes from there), then supporters, then other staff.
export const STAFF: readonly StaffSeed[] = [
  ...DEMO_STAFF,
  ...SUPPORTER_PEOPLE.filter((p) => !DEMO_EMAIL_SET.has(p.email)).map((p) => ({
    email: p.email,
    name: p.name,
    department: p.department,
    site: p.site,
    jobTitle: p.jobTitle,
  })),
  ...OTHER_STAFF,
];

// ---------------------------------------------------------------------------------------------------------------
// Network membership and coordination. Alex is deliberately in no network: tests join networks as Alex.
// ---------------------------------------------------------------------------------------------------------------

export const COORDINATORS: readonly CoordinatorSeed[] = [
  { network: LGBT_NETWORK_SLUG, email: DEMO_EMAILS.coordinator },
  { network: "womens-network", email: "priya.sharma@example.org" },
  { network: "black-support-network", email: "marcus.johnson@example.org" },
  { network: "disability-support-network", email: "rachel.green@example.org" },
];

export const MEMBERSHIPS: readonly MembershipSeed[] = [
  // LGBT+ Network: five members (three visible, two silent) and one request waiting for Casey.
  { network: LGBT_NETWORK_SLUG, email: "daniel.oconnor@example.org", status: "active", visibility: "visible" },
  { network: LGBT_NETWORK_SLUG, email: "jordan.blake@example.org", status: "active", visibility: "visible" },
  { network: LGBT_NETWORK_SLUG, email: "leah.murphy@example.org", status: "active", visibility: "visible" },
  { network: LGBT_NETWORK_SLUG, email: "chris.taylor@example.org", status: "active", visibility: "silent" },
  { network: LGBT_NETWORK_SLUG, email: "rachel.green@example.org", status: "active", visibility: "silent" },
  { network: LGBT_NETWORK_SLUG, email: "ollie.bennett@example.org", status: "pending", visibility: "silent" },

  { network: "womens-network", email: "helen.whitaker@example.org", status: "active", visibility: "visible" },
  { network: "womens-network", email: "aisha.rahman@example.org", status: "active", visibility: "visible" },
  { network: "womens-network", email: "fatima.hussain@example.org", status: "active", visibility: "silent" },
  { network: "womens-network", email: "leah.murphy@example.org", status: "active", visibility: "visible" },
  { network: "womens-network", email: "nadia.begum@example.org", status: "active", visibility: "silent" },

  { network: "black-support-network", email: "kwame.mensah@example.org", status: "active", visibility: "visible" },
  { network: "black-support-network", email: "hodan.ali@example.org", status: "active", visibility: "visible" },
  { network: "black-support-network", email: "ravi.chauhan@example.org", status: "active", visibility: "silent" },

  { network: "disability-support-network", email: "jordan.blake@example.org", status: "active", visibility: "silent" },
  { network: "disability-support-network", email: "tomasz.kowalski@example.org", status: "active", visibility: "visible" },
  { network: "disability-support-network", email: "nadia.begum@example.org", status: "pending", visibility: "silent" },

  { network: "association-of-muslim-police", email: "imran.qureshi@example.org", status: "active", visibility: "visible" },
  { network: "association-of-muslim-police", email: "hodan.ali@example.org", status: "active", visibility: "visible" },
  { network: "association-of-muslim-police", email: "fatima.hussain@example.org", status: "active", visibility: "silent" },

  { network: "sikh-police-association", email: "gurpreet.sandhu@example.org", status: "active", visibility: "visible" },
];

export const ROLE_GRANTS: readonly RoleGrantSeed[] = [{ email: DEMO_EMAILS.equalityUnit, role: "equality_unit" }];
