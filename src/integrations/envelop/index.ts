/**
 * Envelop / GraphQL Yoga integration.
 * @module
 */
export { useGatehouse } from "./use-gatehouse.js";
export type { UseGatehouseOptions, YogaResponseHook } from "./use-gatehouse.js";
