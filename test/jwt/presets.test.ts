import { describe, expect, it } from "vitest";
import { jwtAuthenticator, presets } from "gatehouse/jwt";

describe("presets", () => {
  it("auth0 derives issuer (trailing slash) and JWKS from the domain", () => {
    const o = presets.auth0({ domain: "https://Tenant.eu.auth0.com/", audience: "https://api.test" });
    expect(o).toMatchObject({ issuer: "https://tenant.eu.auth0.com/", audience: "https://api.test", algorithms: ["RS256"], jwksUrl: "https://tenant.eu.auth0.com/.well-known/jwks.json" });
    expect(o.mapClaims!({ sub: "auth0|1", nickname: "ada", roles: ["x"] })).toMatchObject({ id: "auth0|1", displayName: "ada", roles: ["x"] });
    const ns = presets.auth0({ domain: "t.auth0.com", audience: "a", rolesClaim: "https://app/roles" });
    expect(ns.mapClaims!({ sub: "s", "https://app/roles": ["admin"] })).toMatchObject({ roles: ["admin"] });
    expect(typeof jwtAuthenticator(o)).toBe("function");
  });

  it("clerk from frontendApi or issuer, with azp or aud", () => {
    expect(presets.clerk({ frontendApi: "clerk.example.com", authorizedParties: ["https://example.com"] })).toMatchObject({
      issuer: "https://clerk.example.com",
      jwksUrl: "https://clerk.example.com/.well-known/jwks.json",
      authorizedParties: ["https://example.com"],
    });
    const o = presets.clerk({ issuer: "https://happy-cat-1.clerk.accounts.dev/", audience: "api" });
    expect(o).toMatchObject({ issuer: "https://happy-cat-1.clerk.accounts.dev", audience: "api", jwksUrl: "https://happy-cat-1.clerk.accounts.dev/.well-known/jwks.json" });
    expect(typeof jwtAuthenticator(o)).toBe("function");
  });

  it("supabase with JWKS (asymmetric) or legacy secret", () => {
    const o = presets.supabase({ projectRef: "abcdefghijklmnop" });
    expect(o).toMatchObject({
      issuer: "https://abcdefghijklmnop.supabase.co/auth/v1",
      audience: "authenticated",
      algorithms: ["ES256", "RS256"],
      jwksUrl: "https://abcdefghijklmnop.supabase.co/auth/v1/.well-known/jwks.json",
    });
    expect(o.mapClaims!({ sub: "u", role: "authenticated", email: "a@b.c" })).toMatchObject({ roles: ["authenticated"], displayName: "a@b.c" });
    expect(o.mapClaims!({ sub: "u", role: "authenticated", app_metadata: { roles: ["admin"] } })).toMatchObject({ roles: ["admin"] });
    const legacy = presets.supabase({ url: "https://auth.example.com", jwtSecret: "x".repeat(40) });
    expect(legacy).toMatchObject({ issuer: "https://auth.example.com/auth/v1", algorithms: ["HS256"] });
    expect(legacy.jwksUrl).toBeUndefined();
    expect(typeof jwtAuthenticator(o)).toBe("function");
    expect(typeof jwtAuthenticator(legacy)).toBe("function");
  });

  it("firebase derives issuer and audience from the project id", () => {
    const o = presets.firebase({ projectId: "my-project" });
    expect(o).toMatchObject({
      issuer: "https://securetoken.google.com/my-project",
      audience: "my-project",
      jwksUrl: "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
    });
    expect(typeof jwtAuthenticator(o)).toBe("function");
  });

  it("cognito derives issuer and JWKS from region and pool; groups become roles", () => {
    const o = presets.cognito({ region: "eu-west-1", userPoolId: "eu-west-1_AbC123", clientId: "client" });
    expect(o.audience).toBeUndefined();
    expect(o).toMatchObject({
      issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
      jwksUrl: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json",
    });
    expect(o.mapClaims!({ sub: "s", "cognito:groups": ["admins"], "cognito:username": "ada" })).toMatchObject({ roles: ["admins"], displayName: "ada" });
  });

  it("keycloak derives issuer and certs URL; realm roles become roles", () => {
    const o = presets.keycloak({ baseUrl: "https://sso.example.com/", realm: "main", audience: "api" });
    expect(o).toMatchObject({
      issuer: "https://sso.example.com/realms/main",
      jwksUrl: "https://sso.example.com/realms/main/protocol/openid-connect/certs",
    });
    expect(o.mapClaims!({ sub: "s", preferred_username: "ada", realm_access: { roles: ["admin"] } })).toMatchObject({ roles: ["admin"], displayName: "ada" });
    expect(o.mapClaims!({ sub: "s", realm_access: "x" })).toMatchObject({ roles: [] });
    expect(o.mapClaims!({})).toBeNull();
  });

  it.each<[string, () => unknown]>([
    ["auth0 domain with a path", () => presets.auth0({ domain: "evil.com/x", audience: "a" })],
    ["auth0 empty domain", () => presets.auth0({ domain: "", audience: "a" })],
    ["clerk with neither", () => presets.clerk({ authorizedParties: ["x"] })],
    ["clerk with both", () => presets.clerk({ frontendApi: "a.b", issuer: "https://a.b", audience: "x" })],
    ["clerk without azp or aud", () => presets.clerk({ frontendApi: "clerk.a.b" })],
    ["clerk http issuer", () => presets.clerk({ issuer: "http://clerk.a.b", audience: "x" })],
    ["supabase bad ref", () => presets.supabase({ projectRef: "../evil" })],
    ["supabase neither", () => presets.supabase({})],
    ["firebase bad id", () => presets.firebase({ projectId: "Bad/Id" })],
    ["cognito bad region", () => presets.cognito({ region: "mars", userPoolId: "mars_1", clientId: "c" })],
    ["cognito empty client list", () => presets.cognito({ region: "eu-west-1", userPoolId: "eu-west-1_abc", clientId: [] })],
    ["cognito unknown token use", () => presets.cognito({ region: "eu-west-1", userPoolId: "eu-west-1_abc", clientId: "c", tokenUse: "refresh" as never })],
    ["cognito pool region mismatch", () => presets.cognito({ region: "eu-west-1", userPoolId: "us-east-1_abc", clientId: "c" })],
    ["keycloak bad realm", () => presets.keycloak({ baseUrl: "https://sso.test", realm: "a/b", audience: "x" })],
    ["keycloak not a URL", () => presets.keycloak({ baseUrl: "sso", realm: "a", audience: "x" })],
  ])("%s → TypeError", (_name, make) => {
    expect(make).toThrow(TypeError);
  });
});
