import { handlers } from "@/auth";

// Auth.js' own endpoints (the OIDC callback among them). They establish the session, so they cannot require one.
export const { GET, POST } = handlers;
