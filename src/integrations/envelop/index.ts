/**
 * Envelop / GraphQL Yoga integration.
 * @module
 */
export { useGatehouse } from "./use-gatehouse.js";
export type { UseGatehouseOptions } from "./use-gatehouse.js";
