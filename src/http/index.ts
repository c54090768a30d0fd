/**
 * `gatehouse/http`: credentials from HTTP requests, one error → response
 * mapping, Express middleware, an AWS Lambda wrapper, API keys and rate
 * limits. No runtime dependencies besides Node builtins.
 * @module
 */
export { getCredentials, hasMalformedCredentials, REDACTED } from "./credentials.js";
export type { CredentialSource, GetCredentialsOptions, HeadersLike, HttpCredentials, MalformedCredential } from "./credentials.js";
export { authenticateCredentials, authenticateRequest } from "./authenticate-request.js";
export { connectionParamsCredentials } from "./connection-params.js";
export { errorResponseInit, INTERNAL_ERROR_MESSAGE } from "./error-response.js";
export type { ErrorResponseInit } from "./error-response.js";
export { expressErrorHandler, expressSecurity } from "./express.js";
export type { ExpressErrorHandlerOptions, ExpressSecurityOptions, SecurityRequest, SecurityResponse } from "./express.js";
export { withSecurity } from "./lambda.js";
export type { LambdaHttpEvent, LambdaResult, WithSecurityOptions } from "./lambda.js";
export { generateApiKey, parseApiKey, hashApiKeySecret, verifyApiKeySecret } from "./api-key-format.js";
export type { ApiKeyFormatOptions, GeneratedApiKey, ParsedApiKey } from "./api-key-format.js";
export { apiKeyAuthenticator } from "./api-key-authenticator.js";
export type { ApiKeyAuthenticatorOptions, ApiKeyRecord } from "./api-key-authenticator.js";
export { createRateLimiter, memoryCounterStore } from "./rate-limit.js";
export type { MemoryCounterStoreOptions, RateLimiter, RateLimiterOptions } from "./rate-limit.js";
export { redactPaths } from "./redact.js";
