// oidc-provider ships no types and @types/oidc-provider is not installed.
// This covers only what dev-idp uses; delete it if @types/oidc-provider is added.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  import type { JsonWebKey } from "node:crypto";

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): AccountClaims | Promise<AccountClaims>;
  }

  export interface Grant {
    readonly jti: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantModel {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface PromptDetails {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  }

  export interface Interaction {
    readonly uid: string;
    readonly prompt: { name: string; reasons: string[]; details: PromptDetails };
    readonly params: Record<string, unknown>;
    readonly session?: { accountId: string; uid: string };
    readonly grantId?: string;
  }

  export type InteractionResults =
    | { login: { accountId: string } }
    | { consent: { grantId: string } };

  export interface KoaContextWithOIDC {
    host: string;
    path: string;
    status: number;
    type: string;
    body: unknown;
    set(field: string, value: string): void;
    oidc: {
      provider: Provider;
      client?: { clientId: string };
      account?: Account;
      session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      result?: { consent?: { grantId?: string } };
      requestParamClaims: Set<string>;
    };
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret: string;
    client_name?: string;
    redirect_uris: string[];
    post_logout_redirect_uris: string[];
    grant_types: string[];
    response_types: string[];
    token_endpoint_auth_method: string;
  }

  export interface Configuration {
    clients: ClientMetadata[];
    jwks: { keys: JsonWebKey[] };
    cookies: {
      keys: string[];
      names: { session: string; interaction: string; resume: string };
    };
    claims: Record<string, string[]>;
    scopes: string[];
    responseTypes: string[];
    conformIdTokenClaims: boolean;
    pkce: { required: () => boolean };
    ttl: Record<string, number>;
    features: {
      devInteractions: { enabled: boolean };
      rpInitiatedLogout: {
        enabled: boolean;
        logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
        postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
      };
    };
    interactions: { url(ctx: KoaContextWithOIDC, interaction: Interaction): Promise<string> };
    findAccount(ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined>;
    loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined>;
    renderError(ctx: KoaContextWithOIDC, out: ErrorOut, error: unknown): Promise<void>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    readonly Grant: GrantModel;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    on(event: "server_error", listener: (ctx: KoaContextWithOIDC, error: Error) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }

  export default Provider;
}
