/**
 * Apollo Server 5 integration: context helper and execution plugin.
 * @module
 */
export { gatehouseApolloPlugin, gatehouseContext } from "./apollo-plugin.js";
export type { GatehouseApolloContext, GatehouseContextOptions } from "./apollo-plugin.js";
